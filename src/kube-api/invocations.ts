/**
 * Requests to a session's Kubernetes API (issue 20: the student's own kubectl), grouped into the invocations they
 * were and rebuilt as history lines. kubectl 1.30+ sends `Kubectl-Session` (a random id per invocation) and
 * `Kubectl-Command` (`kubectl create deployment`) on every request it makes itself; the gcloud dispatcher's
 * `/version` probe carries neither. The platform (KNET) tells an InvocationTracker per lab session of each request as
 * it arrives (`begin`) and once it is answered (`add`), and calls `flush` now and then; what comes back is recorded
 * in the session's history (invocation-history.service.ts).
 *
 * Grouping: by Kubectl-Session. An invocation ends when another one starts (a new session id: shells run one
 * kubectl after the other) or after QUIET_GAP_MS without a request and none in flight. kubectl's own requests follow
 * each other as soon as the previous answer is in (one client round trip, milliseconds; discovery, OpenAPI, GET then
 * write), while a person needs well over a second to type the next command, so 2 s never splits one invocation and
 * records a line soon after it ran. `kubectl edit` waits for the student's editor between its GET and its PATCH: it
 * gets EDIT_GAP_MS. A request of an invocation already recorded (a watch re-established after the line was recorded)
 * is dropped when it reads, and becomes a line of its own when it writes, so no write is ever missing from the history.
 *
 * Clients without Kubectl-* headers (client-node, k9s, curl) are grouped by User-Agent product instead, with the same
 * gap, and at most CLIENT_SPAN_MS per line so a client that polls is recorded as it goes; requests that only discover
 * (/version, /api, /apis, /openapi) are not recorded for them.
 */
import type { CommandEffects } from '../engine/kubectl/effects';
import { isDiscoveryPath } from './invocation-paths';
import { clientLine, clientProduct, kubectlLine } from './invocation-lines';

export { summarizeRequestBody, type RequestSummary } from './invocation-summary';

/** One answered request, as the platform records it. */
export interface ApiRequestRecord {
  method: string;
  /** The API path without the platform's `/k8s/<labSessionId>` prefix, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  kubectlCommand?: string;
  kubectlSession?: string;
  userAgent?: string;
  /** The answer's status (101 for an upgraded stream). */
  status: number;
  /** isMutatingRequest(method, path). */
  mutating: boolean;
  /** When it was answered, ms since the epoch (or any clock the tracker's `flush` is given). */
  at: number;
  /** summarizeRequestBody(body, contentType) of a write. */
  summary?: object;
}

/** A finished invocation: the history line it becomes and what it did. */
export interface Invocation {
  line: string;
  /** `kubectl`, or the User-Agent product of another client (`curl/8.5.0`). */
  client: 'kubectl' | string;
  mutating: boolean;
  requests: number;
  effects: CommandEffects;
  /** 1 when a request failed as kubectl reports it, else 0 (the server cannot see a remote command's exit code). */
  exitCode: number;
  startedAt: number;
  endedAt: number;
}

/** Identifies the invocation a request belongs to, before it is answered. */
export type RequestKey = Pick<ApiRequestRecord, 'kubectlSession' | 'kubectlCommand' | 'userAgent' | 'path'>;

export const QUIET_GAP_MS = 2_000;
export const EDIT_GAP_MS = 15 * 60_000;
export const CLIENT_SPAN_MS = 60_000;
/** A request that was begun but never added (the client went away mid-request) stops holding its invocation open. */
const IN_FLIGHT_LIMIT_MS = 15 * 60_000;
/** Recorded kubectl sessions remembered, to recognise their late requests. */
const CLOSED_SESSIONS = 256;

/** Streams opened with a POST (SPDY/WebSocket upgrades of exec, attach, port-forward) change nothing. */
const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
/** Create-only questions (kubectl auth can-i, kubectl auth whoami): POSTs that store nothing. */
const REVIEW_RESOURCES = /(subjectaccessreviews|selfsubjectrulesreviews|selfsubjectreviews|tokenreviews)$/;

/** Whether a request writes to the cluster: POST, PUT, PATCH or DELETE, except streams and reviews. */
export function isMutatingRequest(method: string, path: string): boolean {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase())) return false;
  const trimmed = path.replace(/\/+$/, '');
  if (STREAM_SUBRESOURCES.has(trimmed.slice(trimmed.lastIndexOf('/') + 1))) return false;
  return !REVIEW_RESOURCES.test(trimmed);
}

/** The gcloud kubectl dispatcher's own `/version` probe: it picks a kubectl binary, it is not a command. */
function isDispatcherProbe(key: RequestKey): boolean {
  return key.kubectlSession === undefined && (key.userAgent ?? '').startsWith('kubectl-dispatcher/');
}

interface OpenInvocation {
  key: string;
  kubectl: boolean;
  command?: string;
  records: ApiRequestRecord[];
  inFlight: number[];
  firstAt: number;
  lastAt: number;
}

export class InvocationTracker {
  private readonly open = new Map<string, OpenInvocation>();
  private readonly closedSessions = new Set<string>();

  constructor(
    private readonly options: { quietGapMs?: number; editGapMs?: number; clientSpanMs?: number } = {},
  ) {}

  /** Invocations not recorded yet. */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * A request arrived (it may wait in the session's queue before it is answered): its invocation stays open until
   * it is. Returns the invocations that a new kubectl invocation ends.
   */
  begin(key: RequestKey, at: number): Invocation[] {
    if (isDispatcherProbe(key) || this.isLate(key)) return [];
    const { invocation, ended } = this.invocationFor(key, at);
    invocation.inFlight.push(at);
    return ended;
  }

  /** A request was answered. Returns the invocations that a new kubectl invocation ends. */
  add(record: ApiRequestRecord): Invocation[] {
    if (isDispatcherProbe(record)) return [];
    if (this.isLate(record)) {
      // A read of a recorded invocation adds nothing; a write must not be lost: it is a line of its own.
      if (!record.mutating) return [];
      return [this.finish({ ...this.fresh(keyOf(record), record, record.at), records: [record] })];
    }
    const { invocation, ended } = this.invocationFor(record, record.at);
    invocation.inFlight.shift();
    invocation.records.push(record);
    invocation.lastAt = Math.max(invocation.lastAt, record.at);
    invocation.command ??= record.kubectlCommand;
    return ended;
  }

  /** Ends the invocations that have been quiet long enough at `now` (or open too long, for other clients). */
  flush(now: number): Invocation[] {
    const ended: Invocation[] = [];
    for (const invocation of [...this.open.values()]) {
      invocation.inFlight = invocation.inFlight.filter((since) => now - since < IN_FLIGHT_LIMIT_MS);
      const quiet = invocation.inFlight.length === 0 && now - invocation.lastAt >= this.gapOf(invocation);
      const tooLong =
        !invocation.kubectl && now - invocation.firstAt >= (this.options.clientSpanMs ?? CLIENT_SPAN_MS);
      if (quiet || tooLong) ended.push(...this.end(invocation));
    }
    return ended.sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Ends every open invocation (the session ended, the process stops). */
  flushAll(): Invocation[] {
    return [...this.open.values()]
      .flatMap((invocation) => this.end(invocation))
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  private gapOf(invocation: OpenInvocation): number {
    if (invocation.command?.trim() === 'kubectl edit') return this.options.editGapMs ?? EDIT_GAP_MS;
    return this.options.quietGapMs ?? QUIET_GAP_MS;
  }

  private isLate(key: RequestKey): boolean {
    return key.kubectlSession !== undefined && this.closedSessions.has(key.kubectlSession);
  }

  /** The open invocation of a request, started if need be; a new kubectl invocation ends the others that are idle. */
  private invocationFor(key: RequestKey, at: number): { invocation: OpenInvocation; ended: Invocation[] } {
    const id = keyOf(key);
    const existing = this.open.get(id);
    if (existing) return { invocation: existing, ended: [] };
    const ended: Invocation[] = [];
    if (key.kubectlSession !== undefined) {
      for (const other of [...this.open.values()])
        if (other.inFlight.length === 0) ended.push(...this.end(other));
    }
    const invocation = this.fresh(id, key, at);
    this.open.set(id, invocation);
    return { invocation, ended: ended.sort((a, b) => a.startedAt - b.startedAt) };
  }

  private fresh(id: string, key: RequestKey, at: number): OpenInvocation {
    return {
      key: id,
      kubectl: key.kubectlSession !== undefined,
      command: key.kubectlCommand,
      records: [],
      inFlight: [],
      firstAt: at,
      lastAt: at,
    };
  }

  /** Removes an invocation; it becomes a line unless nothing of it is worth one (another client's discovery). */
  private end(invocation: OpenInvocation): Invocation[] {
    this.open.delete(invocation.key);
    if (invocation.kubectl) {
      const session = invocation.key.slice('kubectl:'.length);
      this.closedSessions.add(session);
      if (this.closedSessions.size > CLOSED_SESSIONS)
        this.closedSessions.delete(this.closedSessions.values().next().value as string);
    }
    if (invocation.records.length === 0) return [];
    if (!invocation.kubectl && invocation.records.every((record) => isDiscoveryPath(record.path))) return [];
    return [this.finish(invocation)];
  }

  private finish(invocation: OpenInvocation): Invocation {
    const records = [...invocation.records].sort((a, b) => a.at - b.at);
    const built = invocation.kubectl ? kubectlLine(records) : clientLine(records);
    return {
      line: built.line,
      client: invocation.kubectl ? 'kubectl' : clientProduct(records[0].userAgent),
      mutating: records.some((record) => record.mutating),
      requests: records.length,
      effects: built.effects,
      exitCode: built.exitCode,
      startedAt: records[0].at,
      endedAt: records[records.length - 1].at,
    };
  }
}

function keyOf(key: RequestKey): string {
  return key.kubectlSession !== undefined
    ? `kubectl:${key.kubectlSession}`
    : `client:${clientProduct(key.userAgent)}`;
}
