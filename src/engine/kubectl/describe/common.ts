import type { KubeEvent, KubeObject, Pod } from '../../api/types';
import type { Cluster } from '../../cluster';
import { ageSince } from '../duration';

/**
 * describe's PrefixWriter: each line is `<2·level spaces><text>`, written to the tab-aligning writer (§5.1).
 * `flush()` marks where describe flushes (before a non-empty Events table), so alignment restarts there.
 */
export class DescribeWriter {
  readonly chunks: string[] = [''];

  write(level: number, text: string): void {
    this.chunks[this.chunks.length - 1] += '  '.repeat(level) + text;
  }

  flush(): void {
    this.chunks.push('');
  }
}

/** `Labels:` with the first `k=v` after a TAB and the rest on continuation lines that start with a TAB. */
export function writeLabels(
  w: DescribeWriter,
  title: string,
  labels: Record<string, string> | undefined,
): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) =>
    w.write(0, `${i > 0 ? '\t' : ''}${key}=${(labels as Record<string, string>)[key]}\n`),
  );
}

const MAX_ANNOTATION_LEN = 140;

export function writeAnnotations(
  w: DescribeWriter,
  title: string,
  annotations: Record<string, string> | undefined,
): void {
  w.write(0, `${title}:\t`);
  // describe never shows kubectl apply's record of the last applied manifest.
  const keys = Object.keys(annotations ?? {})
    .filter((key) => key !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, '\t');
    const value = (annotations as Record<string, string>)[key].replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const line of value.split('\n')) {
        const short =
          line.length > MAX_ANNOTATION_LEN - 2 ? line.slice(0, MAX_ANNOTATION_LEN - 2) + '...' : line;
        w.write(0, `\t  ${short}\n`);
      }
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

/** Events about an object (matched by uid, or kind+name when the event has no uid), as describe lists them. */
export function eventsFor(cluster: Cluster, obj: KubeObject): KubeEvent[] {
  const events = cluster.api.list<KubeEvent>('events', { namespace: obj.metadata.namespace ?? 'default' });
  return events.filter((e) =>
    e.involvedObject.uid
      ? e.involvedObject.uid === obj.metadata.uid
      : e.involvedObject.kind === obj.kind && e.involvedObject.name === obj.metadata.name,
  );
}

/** DescribeEvents (§5.3): `<none>` in line with the block above, else a flushed table sorted by last time seen. */
export function writeEvents(w: DescribeWriter, events: KubeEvent[], now: number): void {
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  w.flush();
  const sorted = events
    .map((e, index) => ({ e, index }))
    .sort((a, b) => time(a.e.lastTimestamp) - time(b.e.lastTimestamp) || a.index - b.index)
    .map(({ e }) => e);
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = ageSince(e.firstTimestamp, now);
    const interval = e.count > 1 ? `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const source = e.source?.component || e.reportingComponent;
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${source}\t${e.message.trim()}\n`);
  }
}

function time(value: string | undefined): number {
  return value ? Date.parse(value) : 0;
}

/** `Kind/name` of the controlling owner, for `Controlled By:`. */
export function controllerOf(obj: KubeObject): string | undefined {
  const owner = obj.metadata.ownerReferences?.find((o) => o.controller);
  return owner ? `${owner.kind}/${owner.name}` : undefined;
}

/** The `Pods Status:` value of a controller's describe: its pods counted by phase (getPodStatusForController). */
export function podsStatus(pods: Pod[]): string {
  const count = (phase: string) => pods.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}
