/**
 * In-memory stand-ins for the repositories cluster services use, for unit specs without PostgreSQL
 * or Redis. Each implements the methods of its repository that those services call, with the same
 * semantics (guarded transitions, live statuses, newest first).
 */
import { randomUUID } from 'node:crypto';
import type { ClusterRef } from '../../clusters/cluster-driver';
import type { JobHandlers, JobItem } from '../../jobs/job.types';
import type { ServerEventName, ServerEventPayload } from '../../shared/events';
import {
  type Cluster,
  type ClusterRepository,
  type ClusterStatus,
  type ClusterSummary,
  LIVE_CLUSTER_STATUSES,
} from '../cluster.repository';
import type { EventRepository } from '../event.repository';
import type { JobRepository } from '../job.repository';
import type { LabSession, LabSessionRepository } from '../lab-session.repository';
import type { RedisRepository } from '../redis.repository';
import type { RunSignal, RunSignalsRepository } from '../run-signals.repository';
import type { JobStart, SessionJobsRepository, StoredJob } from '../session-jobs.repository';

type Implements<T, K extends keyof T> = Pick<T, K>;

export class InMemoryLabSessionRepository implements Implements<
  LabSessionRepository,
  'findById' | 'touch' | 'setDeadlines'
> {
  readonly rows = new Map<string, LabSession>();

  /** Adds a session (a student's lab), with defaults for what the test does not care about. */
  add(fields: Partial<LabSession> = {}): LabSession {
    const now = new Date();
    const session: LabSession = {
      id: randomUUID(),
      userId: randomUUID(),
      courseId: randomUUID(),
      labId: 'lab',
      status: 'active',
      startedAt: now,
      lastActivityAt: now,
      idleExpiresAt: null,
      hardDeadlineAt: null,
      labVersionId: null,
      recordsTrimmedAt: null,
      trial: false,
      ...fields,
    };
    this.rows.set(session.id, session);
    return session;
  }

  async findById(id: string): Promise<LabSession | null> {
    const row = this.rows.get(id);
    return row ? { ...row } : null;
  }

  async touch(ids: string[], now: Date, idleExpiresAt: Date | null): Promise<void> {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) Object.assign(row, { lastActivityAt: now, idleExpiresAt });
    }
  }

  async setDeadlines(id: string, idleExpiresAt: Date | null, hardDeadlineAt: Date | null): Promise<void> {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no lab session ${id}`);
    Object.assign(row, { idleExpiresAt, hardDeadlineAt });
  }
}

type ClusterMethods =
  | 'create'
  | 'findById'
  | 'findSummary'
  | 'latestForSession'
  | 'liveForSession'
  | 'refOf'
  | 'loadSnapshot'
  | 'countLive'
  | 'listLive'
  | 'transition'
  | 'listPending'
  | 'saveSnapshot'
  | 'listExpiring';

export class InMemoryClusterRepository implements Implements<ClusterRepository, ClusterMethods> {
  /** Rows in creation order. */
  readonly rows: Cluster[] = [];

  constructor(private readonly sessions: InMemoryLabSessionRepository) {}

  async create(input: {
    labSessionId: string;
    driver: string;
    snapshot?: string | null;
    snapshotVersion?: string | null;
  }): Promise<Cluster> {
    const row: Cluster = {
      id: randomUUID(),
      labSessionId: input.labSessionId,
      driver: input.driver,
      host: null,
      status: 'requested',
      attachState: {},
      snapshot: input.snapshot ?? null,
      snapshotVersion: input.snapshotVersion ?? null,
      snapshotAt: input.snapshot ? new Date() : null,
      error: null,
      createdAt: new Date(),
      readyAt: null,
      stoppedAt: null,
    };
    this.rows.push(row);
    return { ...row };
  }

  async findById(id: string): Promise<Cluster | null> {
    const row = this.rows.find((candidate) => candidate.id === id);
    return row ? { ...row } : null;
  }

  async findSummary(id: string): Promise<ClusterSummary | null> {
    const row = await this.findById(id);
    return row ? summary(row) : null;
  }

  async latestForSession(labSessionId: string): Promise<ClusterSummary | null> {
    const row = this.newest((candidate) => candidate.labSessionId === labSessionId);
    return row ? summary(row) : null;
  }

  async liveForSession(labSessionId: string): Promise<ClusterSummary | null> {
    const row = this.newest(
      (candidate) =>
        candidate.labSessionId === labSessionId && LIVE_CLUSTER_STATUSES.includes(candidate.status),
    );
    return row ? summary(row) : null;
  }

  refOf(cluster: ClusterSummary): ClusterRef {
    return {
      clusterId: cluster.id,
      attachState: (cluster.attachState ?? {}) as Record<string, unknown>,
      snapshotVersion: cluster.snapshotVersion,
      loadSnapshot: () => this.loadSnapshot(cluster.id),
    };
  }

  async loadSnapshot(id: string): Promise<string | null> {
    return this.rows.find((candidate) => candidate.id === id)?.snapshot ?? null;
  }

  async countLive(filter: { userId?: string } = {}): Promise<number> {
    return this.rows.filter(
      (row) =>
        LIVE_CLUSTER_STATUSES.includes(row.status) &&
        (filter.userId === undefined || this.sessions.rows.get(row.labSessionId)?.userId === filter.userId),
    ).length;
  }

  async listLive(): Promise<ClusterSummary[]> {
    return this.rows.filter((row) => LIVE_CLUSTER_STATUSES.includes(row.status)).map(summary);
  }

  async transition(
    id: string,
    from: ClusterStatus[],
    status: ClusterStatus,
    extra: Partial<Pick<Cluster, 'error' | 'readyAt' | 'stoppedAt' | 'host'>> & {
      attachState?: Record<string, unknown>;
      snapshot?: { data: string; version: string };
    } = {},
  ): Promise<boolean> {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row || !from.includes(row.status)) return false;
    const { attachState, snapshot, ...rest } = extra;
    Object.assign(row, rest, { status });
    if (attachState !== undefined) row.attachState = attachState as Cluster['attachState'];
    if (snapshot)
      Object.assign(row, {
        snapshot: snapshot.data,
        snapshotVersion: snapshot.version,
        snapshotAt: new Date(),
      });
    return true;
  }

  async listPending(olderThan: Date): Promise<ClusterSummary[]> {
    return this.rows
      .filter((row) => ['requested', 'provisioning'].includes(row.status) && row.createdAt <= olderThan)
      .map(summary);
  }

  async saveSnapshot(id: string, snapshot: { data: string; version: string }): Promise<void> {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (row)
      Object.assign(row, {
        snapshot: snapshot.data,
        snapshotVersion: snapshot.version,
        snapshotAt: new Date(),
      });
  }

  async listExpiring(
    before: Date,
  ): Promise<(Cluster & { idleExpiresAt: Date | null; hardDeadlineAt: Date | null })[]> {
    const expiring = [];
    for (const row of this.rows) {
      const session = this.sessions.rows.get(row.labSessionId);
      if (row.status !== 'ready' || !session) continue;
      const { idleExpiresAt, hardDeadlineAt } = session;
      if ((idleExpiresAt && idleExpiresAt <= before) || (hardDeadlineAt && hardDeadlineAt <= before))
        expiring.push({ ...row, idleExpiresAt, hardDeadlineAt });
    }
    return expiring;
  }

  private newest(match: (row: Cluster) => boolean): Cluster | undefined {
    return this.rows.filter(match).at(-1);
  }
}

function summary(row: Cluster): ClusterSummary {
  const { snapshot: _snapshot, ...rest } = row;
  return { ...rest };
}

/** The Redis counters cluster epochs use. */
export class InMemoryRedisRepository implements Implements<RedisRepository, 'get' | 'increment'> {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async increment(key: string): Promise<number> {
    const next = Number(this.values.get(key) ?? 0) + 1;
    this.values.set(key, String(next));
    return next;
  }
}

export interface EmittedEvent<E extends ServerEventName = ServerEventName> {
  room: string | string[];
  event: E;
  payload: ServerEventPayload<E>;
}

/** Records what would have been pushed to clients. */
export class RecordingEventRepository implements Implements<EventRepository, 'emit'> {
  readonly emitted: EmittedEvent[] = [];

  emit<E extends ServerEventName>(room: string | string[], event: E, payload: ServerEventPayload<E>): void {
    this.emitted.push({ room, event, payload } as EmittedEvent);
  }

  /** The payloads of one event, in order. */
  payloadsOf<E extends ServerEventName>(event: E): ServerEventPayload<E>[] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.payload as ServerEventPayload<E>);
  }
}

/**
 * Records queued jobs; once `handlers` are attached it also runs each job as a worker would (in the
 * background, as a queue does: `queue` resolves before the job ends). `settled()` waits for those.
 */
export class InlineJobRepository implements Implements<JobRepository, 'queue'> {
  readonly queued: { item: JobItem; host?: string }[] = [];
  /** Errors thrown by jobs run here (a queue would retry or fail them). */
  readonly failures: unknown[] = [];
  private handlers: Partial<JobHandlers> | undefined;
  private readonly running = new Set<Promise<void>>();

  runWith(handlers: Partial<JobHandlers>): this {
    this.handlers = handlers;
    return this;
  }

  async queue(item: JobItem, host?: string): Promise<void> {
    this.queued.push({ item, host });
    const handler = this.handlers?.[item.name] as ((data: JobItem['data']) => Promise<void>) | undefined;
    if (!handler) return;
    const run: Promise<void> = Promise.resolve()
      .then(() => handler(item.data))
      .catch((error: unknown) => void this.failures.push(error))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Waits for the jobs started so far (and those they start) to end. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** A session's background jobs, kept in memory with the same numbering rule as the Redis script. */
export class InMemorySessionJobsRepository implements Implements<
  SessionJobsRepository,
  'start' | 'end' | 'list'
> {
  readonly tables = new Map<string, StoredJob[]>();
  private nextPid = 4242;

  async start(labSessionId: string, job: Omit<StoredJob, 'number' | 'pid'>, max: number): Promise<JobStart> {
    const table = this.tables.get(labSessionId) ?? [];
    if (table.length >= max) return { full: true };
    const number = Math.max(0, ...table.map((j) => j.number)) + 1;
    const pid = this.nextPid++;
    this.tables.set(labSessionId, [...table, { ...job, number, pid }]);
    return { number, pid };
  }

  async end(labSessionId: string, runId: string): Promise<{ job: StoredJob; table: StoredJob[] } | null> {
    const table = this.tables.get(labSessionId) ?? [];
    const job = table.find((j) => j.runId === runId);
    if (!job) return null;
    this.tables.set(
      labSessionId,
      table.filter((j) => j !== job),
    );
    return { job, table };
  }

  async list(labSessionId: string): Promise<StoredJob[]> {
    return [...(this.tables.get(labSessionId) ?? [])];
  }
}

/** Records the signals sent to running commands. */
export class RecordingRunSignalsRepository implements Implements<RunSignalsRepository, 'send'> {
  readonly sent: RunSignal[] = [];

  async send(signal: RunSignal): Promise<void> {
    this.sent.push(signal);
  }
}
