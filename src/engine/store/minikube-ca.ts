/**
 * The cluster CA certificate the root CA publisher copies into every namespace (`kube-root-ca.crt`). minikube
 * makes one per machine (`minikubeCA`, RSA 2048, ten years); here every cluster shares one stand-in of the same
 * PEM shape and size, built from a fixed seed. It is not a usable certificate: nothing in the lab verifies TLS.
 */
function standInCertificate(): string {
  // DER header of a self-signed v3 certificate whose issuer is CN=minikubeCA, then seeded filler bytes.
  const head = Buffer.from(
    '308203063082' +
      '01eea003020102020101300d06092a864886f70d01010b05003015311330110603550403130a6d696e696b7562654341301e170d',
    'hex',
  );
  const bytes = Buffer.alloc(778);
  head.copy(bytes);
  let state = 0x6d696e69;
  for (let i = head.length; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  const body = bytes.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export const MINIKUBE_CA_PEM = standInCertificate();
