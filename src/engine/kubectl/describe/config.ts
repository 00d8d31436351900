/**
 * describe for ServiceAccount, ConfigMap and Secret (reference kubectl-breadth §2.4, §3.3, §3.6) and the
 * namespace's Conditions table while it terminates (§2.3). Secret values are never shown, only their sizes.
 */
import type { ConfigMap, KubeEvent, Namespace, Secret, ServiceAccount } from '../../api/types';
import { decodedLength } from '../../server/config-objects';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

function header(w: DescribeWriter, obj: ServiceAccount | ConfigMap | Secret): void {
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', obj.metadata.labels);
  writeAnnotations(w, 'Annotations', obj.metadata.annotations);
}

/** The three secret headers are padded inside the text itself, so every value starts in one column. */
const SA_HEADERS = ['Image pull secrets:', 'Mountable secrets: ', 'Tokens:            '];
const SA_CONTINUATION = ' '.repeat(19);

export function describeServiceAccount(
  sa: ServiceAccount,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  header(w, sa);
  const lists = [
    (sa.imagePullSecrets ?? []).map((s) => s.name ?? ''),
    (sa.secrets ?? []).map((s) => s.name ?? ''),
    [] as string[],
  ];
  lists.forEach((names, i) => {
    if (names.length === 0) return w.write(0, `${SA_HEADERS[i]}\t<none>\n`);
    names.forEach((name, j) => w.write(0, `${j === 0 ? SA_HEADERS[i] : SA_CONTINUATION}\t${name}\n`));
  });
  if (events) writeEvents(w, events, now);
  return w;
}

export function describeConfigMap(
  cm: ConfigMap,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  header(w, cm);
  w.write(0, '\nData\n====\n');
  // kubectl 1.30 writes each value as is and goes straight on to the next key (Go map order; sorted here).
  for (const key of Object.keys(cm.data ?? {}).sort()) w.write(0, `${key}:\n----\n${cm.data![key]}\n`);
  w.write(0, '\nBinaryData\n====\n');
  for (const key of Object.keys(cm.binaryData ?? {}).sort())
    w.write(0, `${key}: ${decodedLength(cm.binaryData![key])} bytes\n`);
  w.write(0, '\n');
  // Events: own alignment block.
  w.flush();
  if (events) writeEvents(w, events, now);
  return w;
}

export function describeSecret(secret: Secret): DescribeWriter {
  const w = new DescribeWriter();
  header(w, secret);
  w.flush();
  w.write(0, `\nType:\t${secret.type ?? ''}\n`);
  w.flush();
  w.write(0, '\nData\n====\n');
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    const value = secret.data![key];
    // Only a service account token is shown in clear; everything else by its size.
    if (key === 'token' && secret.type === 'kubernetes.io/service-account-token')
      w.write(0, `${key}:\t${Buffer.from(value, 'base64').toString('utf8')}\n`);
    else w.write(0, `${key}:\t${decodedLength(value)} bytes\n`);
  }
  return w;
}

/** The namespace controller's conditions, shown only while the namespace terminates. */
export function writeNamespaceConditions(w: DescribeWriter, ns: Namespace): void {
  const conditions = ns.status?.conditions ?? [];
  if (conditions.length === 0) return;
  w.write(0, 'Conditions:\n');
  w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
  w.write(1, '----\t------\t------------------\t------\t-------\n');
  for (const c of conditions)
    w.write(
      1,
      `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`,
    );
}

/** Go's time.RFC1123Z in UTC (the lab machine's zone): `Mon, 03 Jun 2024 02:15:00 +0000`. */
function rfc1123z(value: string | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toUTCString().replace('GMT', '+0000');
}
