/**
 * The cluster CA certificate the root CA publisher copies into every namespace (`kube-root-ca.crt`). minikube
 * makes one per machine (`minikubeCA`, RSA 2048, ten years), and one for the front proxy (`proxyClientCA`); here
 * every cluster shares stand-ins of the same PEM shape and size, built from fixed seeds. They are not usable
 * certificates: nothing in the lab verifies TLS.
 */
function standInCertificate(issuer: string, seed: number): string {
  // DER header of a self-signed v3 certificate whose issuer is CN=<issuer>, then seeded filler bytes. The lengths
  // grow with the name, so a longer one keeps the header consistent.
  const cn = Buffer.from(issuer, 'latin1');
  const extra = cn.length - 10;
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
  const head = Buffer.concat([
    Buffer.from(
      `308203${hex(0x06 + extra, 2)}3082${hex(0x1ee + extra, 4)}` +
        'a003020102020101300d06092a864886f70d01010b0500' +
        `30${hex(0x15 + extra, 2)}31${hex(0x13 + extra, 2)}30${hex(0x11 + extra, 2)}0603550403` +
        `13${hex(cn.length, 2)}`,
      'hex',
    ),
    cn,
    Buffer.from('301e170d', 'hex'),
  ]);
  const bytes = Buffer.alloc(778 + extra);
  head.copy(bytes);
  let state = seed;
  for (let i = head.length; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  const body = bytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export const MINIKUBE_CA_PEM = standInCertificate('minikubeCA', 0x6d696e69);

/** The front proxy's client CA (minikube's `proxyClientCA`), in extension-apiserver-authentication. */
export const PROXY_CLIENT_CA_PEM = standInCertificate('proxyClientCA', 0x70726f78);
