/**
 * The kubelet's prober (pkg/kubelet/prober): one worker per configured liveness, readiness and startup probe of
 * an app container, ticking every periodSeconds from the pod's admission. A worker probes the running instance
 * once initialDelaySeconds have passed since it started (the startup probe first; the others only once the
 * container has started), counts equal results in a row against successThreshold/failureThreshold, and only then
 * changes its result: readiness and startup feed the container's `ready`/`started` status, a liveness or startup
 * failure has the kubelet kill the container (and hold the worker until the next instance). Every failed run is a
 * `Warning Unhealthy` event with the handler's own message. Worker state is plain data kept in the container's
 * record, so snapshots carry it.
 */
import type { Container, Pod, Probe } from '../api/types';
import { goQuote } from '../jsonpath/go-values';
import type { ExecResult } from '../runtime/types';
import type { ProbeAnswer } from '../runtime/network';
import type { ContainerRecord, PodRecord } from './kubelet';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeWorker {
  type: ProbeType;
  /** periodSeconds in ms, and the next tick of the worker's ticker. */
  period: number;
  nextAt: number;
  /** A run asked for out of turn: a status sync of a started, unready container triggers its readiness probe. */
  triggerAt?: number;
  /** The container instance (container ID) the result is about. */
  instance?: string;
  result: ProbeResult;
  /** The last run's outcome and how many runs in a row had it. */
  last?: ProbeResult;
  run: number;
  /** After a liveness/startup failure: no probing until there is a new instance. */
  onHold?: boolean;
  /** The pod finished (Succeeded or Failed): the worker has exited. */
  stopped?: boolean;
  /** A run still in progress (a command that sleeps, a connection nobody answers): its outcome is known when the
   *  handler returns at `at`, and the worker is blocked until then. */
  pending?: { at: number; instance: string; outcome: ProbeOutcome };
}

type ProbeOutcome = { ok: boolean; output: string } | { error: string };

/** How the prober reaches the containers (the cluster's network and container runtime). */
export interface ProbeTargets {
  /** An HTTP GET of `path`, or without one a bare TCP connect. */
  connect(host: string, port: number, path?: string): ProbeAnswer;
  exec(pod: Pod, rec: PodRecord, c: ContainerRecord, argv: string[]): ExecResult;
}

export interface ProberHost {
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container: string): void;
  /** A liveness/startup probe failed past its threshold: the kubelet kills the instance. */
  kill(pod: Pod, rec: PodRecord, c: ContainerRecord, type: 'liveness' | 'startup', now: number): void;
  /** Milliseconds until a sync triggered now has run (the status manager / PLEG round trip). */
  syncDelay(): number;
}

const INITIAL: Record<ProbeType, ProbeResult> = {
  readiness: 'failure',
  liveness: 'success',
  startup: 'unknown',
};
const TITLE: Record<ProbeType, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };
const FIELD = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' } as const;

export function probeSpec(spec: Container | undefined, type: ProbeType): Probe | undefined {
  return spec?.[FIELD[type]];
}

const periodMs = (probe: Probe | undefined) => Math.max(1, probe?.periodSeconds ?? 10) * 1000;

/** The workers of an app container's probes; their tickers start when the kubelet admits the pod. */
export function newProbeWorkers(spec: Container, admittedAt: number): ProbeWorker[] | undefined {
  const workers = (['readiness', 'liveness', 'startup'] as const)
    .filter((type) => probeSpec(spec, type))
    .map((type) => ({
      type,
      period: periodMs(probeSpec(spec, type)),
      nextAt: admittedAt,
      result: INITIAL[type],
      run: 0,
    }));
  return workers.length ? workers : undefined;
}

const worker = (c: ContainerRecord, type: ProbeType) => c.probes?.find((w) => w.type === type);

/** `started` as the prober manager reports it: a startup probe must have succeeded for this instance. */
export function containerStarted(c: ContainerRecord): boolean {
  if (c.stage !== 'running') return false;
  const w = worker(c, 'startup');
  return !w || (w.instance === c.containerId && w.result === 'success');
}

/** `ready`: started, and a readiness probe (if any) succeeded for this instance. */
export function containerReady(c: ContainerRecord): boolean {
  if (!containerStarted(c)) return false;
  const w = worker(c, 'readiness');
  return !w || (w.instance === c.containerId && w.result === 'success');
}

/** When this container's workers next have something to do (nothing while it is not running). */
export function nextProbeAt(c: ContainerRecord): number | undefined {
  if (c.stage !== 'running' || !c.probes) return undefined;
  let next: number | undefined;
  for (const w of c.probes) {
    if (w.stopped || (w.onHold && w.instance === c.containerId)) continue;
    const at = w.pending ? w.pending.at : Math.min(w.nextAt, w.triggerAt ?? Infinity);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

/**
 * A new instance is running: the tickers (which kept their phase while nothing ran) resume at their next tick, and
 * without a startup probe the sync that reports it running (`syncAt`) triggers its readiness probe.
 */
export function probesOnStart(c: ContainerRecord, now: number, syncAt: number): void {
  for (const w of c.probes ?? []) {
    if (w.nextAt >= now) continue;
    w.nextAt += Math.ceil((now - w.nextAt) / w.period) * w.period;
  }
  triggerReadiness(c, syncAt);
}

/** A status sync that finds the container started but not ready runs its readiness probe at once. */
export function triggerReadiness(c: ContainerRecord, at: number): void {
  const w = worker(c, 'readiness');
  if (!w || !containerStarted(c) || containerReady(c)) return;
  w.triggerAt = Math.min(w.triggerAt ?? Infinity, at);
}

export class Prober {
  targets?: ProbeTargets;

  constructor(private readonly host: ProberHost) {}

  /** Runs every worker of the pod that is due (the kubelet then renders the status from the results). */
  run(pod: Pod, rec: PodRecord, specOf: (c: ContainerRecord) => Container, now: number): void {
    for (const c of rec.containers) {
      if ((c.init && !c.sidecar) || !c.probes) continue;
      for (const w of c.probes) {
        if (w.pending && w.pending.at <= now) this.finishPending(pod, rec, c, w, specOf(c), now);
        const manual = w.triggerAt !== undefined && w.triggerAt <= now;
        const ticked = w.nextAt <= now;
        if (!manual && !ticked) continue;
        // A worker blocked in a run misses the ticks meanwhile (time.Ticker drops them); a trigger waits.
        if (w.pending) {
          if (ticked) w.nextAt += Math.ceil((now - w.nextAt + 1) / w.period) * w.period;
          continue;
        }
        if (manual) w.triggerAt = undefined;
        const probe = probeSpec(specOf(c), w.type);
        // The ticker keeps its phase: skip the ticks missed while nothing was scheduled.
        if (ticked) w.nextAt += Math.ceil((now - w.nextAt + 1) / w.period) * w.period;
        if (!w.stopped && probe) this.doProbe(pod, rec, c, w, probe, specOf(c), now);
      }
    }
  }

  /**
   * One pass of the worker loop (worker.go doProbe). A deleted pod is not probed at all: the kubelet stops its
   * timers (the real liveness and startup workers stop there too; readiness no longer matters to its endpoints).
   */
  private doProbe(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    w: ProbeWorker,
    probe: Probe,
    spec: Container,
    now: number,
  ) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      w.stopped = true;
      return;
    }
    if (!c.containerId) return;
    if (w.instance !== c.containerId) {
      w.instance = c.containerId;
      w.result = INITIAL[w.type];
      w.onHold = false;
    }
    if (w.onHold) return;
    if (c.stage !== 'running') {
      w.result = 'failure';
      return;
    }
    if (Math.floor((now - (c.startedAt ?? now)) / 1000) < (probe.initialDelaySeconds ?? 0)) return;
    if (containerStarted(c) !== (w.type !== 'startup')) return;
    const { tookMs, ...outcome } = this.runProbe(pod, rec, c, probe, spec);
    if (tookMs) {
      w.pending = { at: now + tookMs, instance: c.containerId, outcome };
      return;
    }
    this.record(pod, rec, c, w, probe, outcome, now);
  }

  /** A run that took time has returned: its outcome counts if the instance it probed still runs. */
  private finishPending(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    w: ProbeWorker,
    spec: Container,
    now: number,
  ): void {
    const { instance, outcome } = w.pending!;
    w.pending = undefined;
    const probe = probeSpec(spec, w.type);
    const phase = pod.status?.phase;
    if (!probe || phase === 'Succeeded' || phase === 'Failed' || w.onHold) return;
    if (c.stage !== 'running' || c.containerId !== instance || w.instance !== instance) return;
    this.record(pod, rec, c, w, probe, outcome, now);
  }

  /** The outcome of a run: its event, then the result once `successThreshold`/`failureThreshold` runs agree. */
  private record(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    w: ProbeWorker,
    probe: Probe,
    outcome: ProbeOutcome,
    now: number,
  ): void {
    const title = TITLE[w.type];
    if ('error' in outcome) {
      // A probe that cannot even be run (an unknown named port) is reported and its result thrown away.
      return this.host.event(pod, 'Warning', 'Unhealthy', `${title} probe errored: ${outcome.error}`, c.name);
    }
    if (!outcome.ok)
      this.host.event(pod, 'Warning', 'Unhealthy', `${title} probe failed: ${outcome.output}`, c.name);
    const result: ProbeResult = outcome.ok ? 'success' : 'failure';
    if (w.last === result) w.run++;
    else [w.last, w.run] = [result, 1];
    const threshold = result === 'failure' ? (probe.failureThreshold ?? 3) : (probe.successThreshold ?? 1);
    if (w.run < threshold) return;
    const transition = w.result !== result;
    w.result = result;
    if (w.type !== 'readiness' && result === 'failure') {
      w.onHold = true;
      w.run = 0;
      return this.host.kill(pod, rec, c, w.type, now);
    }
    // The sync a new result causes finds the container started (or still unready) and asks for readiness.
    if (transition) triggerReadiness(c, now + this.host.syncDelay());
  }

  /** pkg/kubelet/prober runProbe: the handler's result and output, or an error when it cannot be run. */
  private runProbe(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    probe: Probe,
    spec: Container,
  ): ProbeOutcome & { tookMs?: number } {
    const targets = this.targets;
    if (!targets) return { error: 'no prober' };
    const ip = rec.ip ?? '';
    const timeout = `${probe.timeoutSeconds ?? 1}s`;
    if (probe.exec) {
      const argv = probe.exec.command ?? [];
      if (argv.length === 0) return { error: 'missing command' };
      const result = targets.exec(pod, rec, c, argv);
      // The runtime gives up on the command at timeoutSeconds; pkg/probe/exec makes the CRI's TimeoutError (its
      // output thrown away) a failure whose output is the error's text.
      if ((result.elapsedMs ?? 0) >= timeoutMs(probe))
        return {
          ok: false,
          output: `command ${goQuote(argv.join(' '))} timed out`,
          tookMs: timeoutMs(probe),
        };
      return { ok: result.exitCode === 0, output: result.stdout + result.stderr, tookMs: result.elapsedMs };
    }
    if (probe.httpGet) {
      const http = probe.httpGet;
      const port = resolvePort(http.port, spec);
      if (typeof port === 'string') return { error: port };
      const scheme = (http.scheme ?? 'HTTP').toLowerCase();
      const host = http.host || ip;
      const path = http.path ?? '/';
      const url = `${scheme}://${host}:${port}${path.startsWith('/') ? '' : '/'}${path}`;
      const answer = targets.connect(host, port, path);
      if (answer.ok && scheme === 'https' && !answer.tls)
        return { ok: false, output: `Get "${url}": http: server gave HTTP response to HTTPS client` };
      // A TLS server answers a plain HTTP request with 400 (Go's "Client sent an HTTP request to an HTTPS server").
      if (answer.ok && scheme === 'http' && answer.tls)
        return { ok: false, output: 'HTTP probe failed with statuscode: 400' };
      // A slow app: net/http's Client.Timeout (timeoutSeconds) ends the request before its headers come.
      if (answer.ok && (answer.delayMs ?? 0) >= timeoutMs(probe))
        return {
          ok: false,
          output: `Get "${url}": ${dialError('timeout', host, port)}`,
          tookMs: timeoutMs(probe),
        };
      const took = answer.ok && answer.delayMs ? { tookMs: answer.delayMs } : {};
      if (answer.ok)
        return answer.status >= 200 && answer.status < 400
          ? { ok: true, output: '', ...took }
          : { ok: false, output: `HTTP probe failed with statuscode: ${answer.status}`, ...took };
      return {
        ok: false,
        output: `Get "${url}": ${dialError(answer.error, host, port)}`,
        ...(answer.error === 'timeout' ? { tookMs: timeoutMs(probe) } : {}),
      };
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, spec);
      if (typeof port === 'string') return { error: port };
      const host = probe.tcpSocket.host || ip;
      const answer = targets.connect(host, port);
      if (answer.ok) return { ok: true, output: '' };
      if (answer.error === 'timeout')
        return { ok: false, output: `dial tcp ${host}:${port}: i/o timeout`, tookMs: timeoutMs(probe) };
      return { ok: false, output: dialError(answer.error, host, port) };
    }
    if (probe.grpc) {
      // No simulated app serves grpc.health.v1.Health: the blocking dial gives up when the timeout ends.
      return {
        ok: false,
        output: `timeout: failed to connect service "${ip}:${probe.grpc.port}" within ${timeout}: context deadline exceeded`,
        tookMs: timeoutMs(probe),
      };
    }
    return { ok: false, output: '' };
  }
}

/** timeoutSeconds (default 1; the API server refuses values below 1). */
const timeoutMs = (probe: Probe) => Math.max(1, probe.timeoutSeconds ?? 1) * 1000;

/** probe.ResolveContainerPort: a number, or a named container port; otherwise Go's error text. */
function resolvePort(port: number | string | undefined, spec: Container | undefined): number | string {
  let n: number;
  if (typeof port === 'string') {
    const named = spec?.ports?.find((p) => p.name === port)?.containerPort;
    if (named !== undefined) n = named;
    else if (/^[+-]?\d+$/.test(port)) n = Number(port);
    else return `strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`;
  } else n = port ?? 0;
  return n > 0 && n < 65536 ? n : `invalid port number: ${n}`;
}

/** Go's net/http client error after `Get "<url>": ` (or a TCP probe's whole message). */
function dialError(error: string, host: string, port: number): string {
  const dial = `dial tcp ${host}:${port}`;
  switch (error) {
    case 'refused':
      return `${dial}: connect: connection refused`;
    case 'no-route':
      return `${dial}: connect: no route to host`;
    case 'unresolved':
      return `dial tcp: lookup ${host} on 192.168.49.1:53: no such host`;
    case 'malformed':
      return 'net/http: HTTP/1.x transport connection broken: malformed HTTP response "-ERR wrong number of arguments for \'get\' command"';
    default:
      return 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  }
}
