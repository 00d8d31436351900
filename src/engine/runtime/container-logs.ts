/**
 * What `kubectl logs` reads from the kubelet: the lines of a container instance (the current one, or with
 * `previous` the one before), each with the time it was written, for `--timestamps`, `--since` and `--tail`.
 * Program output is recomputed from the container's argv (runtime/programs.ts); the servers' logs from their
 * start and the requests they served.
 */
import type { Container, Pod } from '../api/types';
import type { ContainerRecord, ExitRecord } from '../controllers/kubelet';
import type { ObjectStore } from '../store/store';
import { bootcampLog, nginxLogLines, podHostname, type ProbeRequest } from './apps';
import { startupLog } from './image-profiles';
import { type AppKind, lookupImage } from './images';
import { runContainerProgram } from './program-files';
import { containerArgv, type ProgramLine } from './programs';

export interface LogOptions {
  previous?: boolean;
  timestamps?: boolean;
  /** Only lines written at or after this time (epoch ms). */
  since?: number;
  /** The last N lines (negative: all). */
  tail?: number;
}

/** Log lines stamped with epoch ms. */
export type LogLine = ProgramLine;

function timed(text: string, startedAt: number, headLines: number, served: number[]): LogLine[] {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((line, i) => ({
    at: i < headLines ? startedAt : (served[i - headLines] ?? startedAt),
    text: line,
  }));
}

/** The server binaries of the server images: a container running one logs as the server (`nginx -g ...`). */
const SERVER_BINARIES: Partial<Record<AppKind, string[]>> = {
  bootcamp: ['node'],
  nginx: ['nginx'],
  httpd: ['httpd', 'httpd-foreground'],
  httpbin: ['gunicorn'],
  redis: ['redis-server'],
};

/** Whether a server image's command runs its server; any other program (`nginx -- echo hi`) logs as itself. */
function runsOwnServer(app: AppKind | undefined, argv: string[]): boolean {
  const binaries = app ? SERVER_BINARIES[app] : undefined;
  return !!binaries && binaries.includes((argv[0] ?? '').split('/').pop()!);
}

/** The instance's lines, or undefined when the instance asked for does not exist. */
export function instanceLogLines(
  store: ObjectStore,
  pod: Pod,
  spec: Container,
  c: ContainerRecord,
  now: number,
  previous: boolean,
  coredns: string,
): LogLine[] | undefined {
  const finishedCurrent = c.stage !== 'running' && c.lastExit !== undefined;
  let instance:
    | {
        startedAt: number;
        until: number;
        served: number[];
        probes?: ProbeRequest[];
        env?: [string, string][];
      }
    | undefined;
  const fromExit = (e: ExitRecord | undefined) =>
    e ? { startedAt: e.startedAt, until: e.finishedAt, served: [], env: e.env } : undefined;
  if (previous) instance = fromExit(finishedCurrent ? c.priorExit : c.lastExit);
  else if (c.stage === 'running' && c.startedAt !== undefined)
    instance = { startedAt: c.startedAt, until: now, served: c.served, probes: c.probeRequests, env: c.env };
  else instance = fromExit(c.lastExit);
  if (!instance) return undefined;
  const hostname = podHostname(pod.metadata.name);
  const app = lookupImage(c.image)?.app;
  const hasProgram = (spec.command?.length ?? 0) > 0 || (spec.args?.length ?? 0) > 0;
  if (
    !hasProgram ||
    app === 'system' ||
    runsOwnServer(app, containerArgv(c.image, spec.command, spec.args))
  ) {
    if (app === 'bootcamp')
      return timed(
        bootcampLog(hostname, instance.startedAt, instance.served),
        instance.startedAt,
        2,
        instance.served,
      );
    if (app === 'nginx')
      return nginxLogLines(
        instance.startedAt,
        instance.served,
        '10.244.0.1',
        instance.probes,
        pod.status?.podIP ?? '',
      );
    if (c.image.startsWith('registry.k8s.io/coredns/')) return timed(coredns, instance.startedAt, 99, []);
    const start = startupLog(app, instance.startedAt, pod.status?.podIP ?? '');
    if (start) return timed(start, instance.startedAt, 5, []);
    if (!hasProgram) return [];
  }
  const run = runContainerProgram(
    store,
    pod,
    spec,
    instance.startedAt,
    Math.max(0, instance.until - instance.startedAt),
    instance.env,
  );
  return run.lines.map((l) => ({ at: instance!.startedAt + l.at, text: l.text }));
}

/** RFC 3339 with nanoseconds, as the kubelet stamps lines (the sub-millisecond digits are made up). */
function stamp(ms: number, index: number): string {
  const base = new Date(ms).toISOString().slice(0, 23);
  const nanos = String(((Math.imul(ms % 1_000_003, 7919) + index * 104_729) % 1_000_000) >>> 0).padStart(
    6,
    '0',
  );
  return `${base}${nanos}Z`.replace(/\.?0+Z$/, 'Z');
}

export function formatLogLines(lines: LogLine[], options: LogOptions): string {
  let selected = options.since !== undefined ? lines.filter((l) => l.at >= options.since!) : lines;
  if (options.tail !== undefined && options.tail >= 0)
    selected = options.tail === 0 ? [] : selected.slice(-options.tail);
  return selected.map((l, i) => `${options.timestamps ? `${stamp(l.at, i)} ` : ''}${l.text}\n`).join('');
}
