import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CommandRun, CommandStatus, RunKind } from '../infra/database/generated/client';
import type { RunEffects } from '../clusters/cluster-driver';
import { DatabaseRepository, SqlStatement } from './database.repository';
import { StatementBatch } from './statement-batch';

export type { CommandRun, CommandStatus, RunKind };

/** PostgreSQL's unique_violation: the sequence number is taken. */
const UNIQUE_VIOLATION = '23505';

interface CommandRunRow {
  id: string;
  lab_session_id: string;
  user_id: string;
  cluster_id: string | null;
  seq: number;
  command: string;
  status: CommandStatus;
  exit_code: number | null;
  output: string;
  output_bytes: number;
  truncated: boolean;
  error: string | null;
  kind: RunKind;
  job_number: number | null;
  pid: number | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  home_version: number | null;
  effects: CommandRun['effects'];
  output_trimmed_at: Date | null;
}

const COLUMNS =
  'id, lab_session_id, user_id, cluster_id, seq, command, status, exit_code, output, output_bytes, ' +
  'truncated, error, kind, job_number, pid, queued_at, started_at, finished_at, duration_ms, home_version, ' +
  'effects, output_trimmed_at';

// Every command runs these, so they are plain SQL (see DatabaseRepository.sql). A command's record
// is written with asynchronous commit: if PostgreSQL itself crashes, the last fraction of a second
// of records can be lost (never corrupted), and a command does not wait for the disk twice.
const INSERT: SqlStatement = {
  name: 'command-run.insert',
  text:
    'INSERT INTO command_runs (id, lab_session_id, user_id, seq, command, status, error, queued_at, finished_at) ' +
    `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
  asyncCommit: true,
};
// The worker may finish a quick command before this lands; then the record is already complete. (No
// conflict target: a record the worker is writing at this very moment conflicts on both unique
// indexes, and either must be a no-op rather than an error.)
const INSERT_QUEUED: SqlStatement = {
  name: 'command-run.insert-queued',
  text:
    'INSERT INTO command_runs (id, lab_session_id, user_id, seq, command, kind, queued_at, status) ' +
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued') ON CONFLICT DO NOTHING",
  asyncCommit: true,
};
// INSERT_QUEUED for several commands at once (StatementBatch): one array per column.
const INSERT_QUEUED_MANY: SqlStatement = {
  name: 'command-run.insert-queued-many',
  text:
    'INSERT INTO command_runs (id, lab_session_id, user_id, seq, command, kind, queued_at, status) ' +
    "SELECT id, lab_session_id, user_id, seq, command, kind, queued_at, 'queued'::command_status " +
    'FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::run_kind[], $7::timestamptz[]) ' +
    'AS queued (id, lab_session_id, user_id, seq, command, kind, queued_at) ON CONFLICT DO NOTHING',
  asyncCommit: true,
};
// The whole record of a run that ended, whether or not the queued record has landed yet; a run the
// housekeeping already ended as interrupted stays so.
const FINISH: SqlStatement = {
  name: 'command-run.finish',
  text:
    'INSERT INTO command_runs AS run (id, lab_session_id, user_id, seq, command, kind, queued_at, status, ' +
    'exit_code, output, output_bytes, truncated, finished_at, duration_ms, error, cluster_id, started_at, ' +
    'home_version, effects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, ' +
    '$18, $19::jsonb) ' +
    'ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, exit_code = EXCLUDED.exit_code, ' +
    'output = EXCLUDED.output, output_bytes = EXCLUDED.output_bytes, truncated = EXCLUDED.truncated, ' +
    'finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error, ' +
    'cluster_id = COALESCE(EXCLUDED.cluster_id, run.cluster_id), ' +
    'home_version = COALESCE(EXCLUDED.home_version, run.home_version), ' +
    'effects = COALESCE(EXCLUDED.effects, run.effects), ' +
    "started_at = COALESCE(EXCLUDED.started_at, run.started_at) WHERE run.status IN ('queued', 'running')",
  asyncCommit: true,
};
// FINISH for several runs at once (StatementBatch): one array per column; answers the ids it ended.
const FINISH_MANY: SqlStatement = {
  name: 'command-run.finish-many',
  text:
    'INSERT INTO command_runs AS run (id, lab_session_id, user_id, seq, command, kind, queued_at, status, ' +
    'exit_code, output, output_bytes, truncated, finished_at, duration_ms, error, cluster_id, started_at, ' +
    'home_version, effects) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], ' +
    '$6::run_kind[], $7::timestamptz[], $8::command_status[], $9::int[], $10::text[], $11::int[], $12::boolean[], ' +
    '$13::timestamptz[], $14::int[], $15::text[], $16::uuid[], $17::timestamptz[], $18::int[], $19::jsonb[]) ' +
    FINISH.text.slice(FINISH.text.indexOf('ON CONFLICT')) +
    ' RETURNING run.id',
  asyncCommit: true,
};
// Runs that last (background jobs, with their job number and pid, and interactive runs) are recorded
// as running when they start, so a reload finds them and the housekeeping does not take them for
// queued commands that were lost. (Quick foreground runs are written once, when they end.)
const START_LASTING: SqlStatement = {
  name: 'command-run.start-lasting',
  text:
    'INSERT INTO command_runs AS run (id, lab_session_id, user_id, seq, command, kind, queued_at, status, ' +
    'job_number, pid, cluster_id, started_at) ' +
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, $10, $11) " +
    "ON CONFLICT (id) DO UPDATE SET status = 'running', job_number = EXCLUDED.job_number, pid = EXCLUDED.pid, " +
    "cluster_id = EXCLUDED.cluster_id, started_at = EXCLUDED.started_at WHERE run.status = 'queued'",
};
const HISTORY: SqlStatement = {
  name: 'command-run.history',
  text:
    'SELECT seq, command, exit_code, output, status, kind, effects FROM command_runs ' +
    'WHERE lab_session_id = $1 AND (seq > $2 OR seq = ANY($3::int[])) ORDER BY seq',
};

function fromRow(row: CommandRunRow): CommandRun {
  return {
    id: row.id,
    labSessionId: row.lab_session_id,
    userId: row.user_id,
    clusterId: row.cluster_id,
    seq: row.seq,
    command: row.command,
    status: row.status,
    exitCode: row.exit_code,
    output: row.output,
    outputBytes: row.output_bytes,
    truncated: row.truncated,
    error: row.error,
    kind: row.kind,
    jobNumber: row.job_number,
    pid: row.pid,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    homeVersion: row.home_version,
    effects: row.effects,
    outputTrimmedAt: row.output_trimmed_at,
  };
}

/** A run as grading reads it: what ran, how it ended, and what it did when the driver recorded that. */
export type HistoryRun = Pick<CommandRun, 'seq' | 'command' | 'exitCode' | 'output' | 'status' | 'kind'> & {
  effects: RunEffects | null;
};

/** What identifies a run in its record: enough to write the record whole from a worker. */
export interface QueuedRun {
  id: string;
  labSessionId: string;
  userId: string;
  seq: number;
  command: string;
  kind: RunKind;
  queuedAt: Date;
}

/** Rows of statement parameters as one array per column (the parameters of the *_MANY statements). */
function columnsOf(rows: unknown[][]): unknown[][] {
  return rows[0].map((_, column) => rows.map((row) => row[column]));
}

/** A run's identity as the first seven parameters of INSERT_QUEUED, FINISH and START_BACKGROUND. */
function identityOf(run: QueuedRun): unknown[] {
  return [run.id, run.labSessionId, run.userId, run.seq, run.command, run.kind, run.queuedAt];
}

@Injectable()
export class CommandRunRepository {
  /** Queued records of the commands admitted in the same event-loop turn, written together. */
  private readonly queued = new StatementBatch<QueuedRun>(
    async (run) => {
      await this.db.sql(INSERT_QUEUED, identityOf(run));
    },
    async (runs) => {
      await this.db.sql(INSERT_QUEUED_MANY, columnsOf(runs.map(identityOf)));
      return runs.map(() => undefined);
    },
  );
  /** Ends of runs written in the same event-loop turn, written together; each answers whether it ended the run. */
  private readonly finished = new StatementBatch<unknown[], boolean>(
    (values) => this.upsert(FINISH, values),
    async (rows) => {
      const { rows: ended } = await this.db.sql<{ id: string }>(FINISH_MANY, columnsOf(rows));
      const ids = new Set(ended.map((row) => row.id));
      return rows.map((values) => ids.has(values[0] as string));
    },
  );

  constructor(private readonly db: DatabaseRepository) {}

  /** Records a command under `seq`; null when that number is already taken in the session. */
  async create(input: {
    labSessionId: string;
    userId: string;
    seq: number;
    command: string;
    status: CommandStatus;
    error?: string;
  }): Promise<CommandRun | null> {
    const now = new Date();
    const finishedAt = input.status === 'rejected' ? now : null;
    try {
      const { rows } = await this.db.sql<CommandRunRow>(INSERT, [
        randomUUID(),
        input.labSessionId,
        input.userId,
        input.seq,
        input.command,
        input.status,
        input.error ?? null,
        now,
        finishedAt,
      ]);
      return fromRow(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Records an accepted command as queued, unless its worker has already recorded how it ended. */
  recordQueued(run: QueuedRun): Promise<void> {
    return this.queued.add(run);
  }

  async maxSeq(labSessionId: string): Promise<number> {
    const last = await this.db.client.commandRun.findFirst({
      where: { labSessionId },
      orderBy: { seq: 'desc' },
      select: { seq: true },
    });
    return last?.seq ?? 0;
  }

  findById(id: string): Promise<CommandRun | null> {
    return this.db.client.commandRun.findUnique({ where: { id } });
  }

  /** Records how a run ended; false when it had already been ended (by the housekeeping). */
  async finish(
    run: QueuedRun,
    result: {
      clusterId: string | null;
      startedAt: Date | null;
      status: CommandStatus;
      exitCode: number | null;
      output: string;
      outputBytes: number;
      truncated: boolean;
      finishedAt: Date;
      durationMs: number | null;
      error?: string;
      /** The session's home version after the run (replay). */
      homeVersion?: number | null;
      /** What the run did, as the driver recorded it (grading's history entries). */
      effects?: RunEffects | null;
    },
  ): Promise<boolean> {
    const values = [
      ...identityOf(run),
      result.status,
      result.exitCode,
      result.output,
      result.outputBytes,
      result.truncated,
      result.finishedAt,
      result.durationMs,
      result.error ?? null,
      result.clusterId,
      result.startedAt,
      result.homeVersion ?? null,
      result.effects ? JSON.stringify(result.effects) : null,
    ];
    return this.finished.add(values);
  }

  /** Records a run that lasts as running; false when the run had already ended. */
  async startLasting(
    run: QueuedRun,
    start: { job?: { number: number; pid: number }; clusterId: string; startedAt: Date },
  ): Promise<boolean> {
    const values = [
      ...identityOf(run),
      start.job?.number ?? null,
      start.job?.pid ?? null,
      start.clusterId,
      start.startedAt,
    ];
    return this.upsert(START_LASTING, values);
  }

  /**
   * Runs an upsert of a run's record. The API may be writing the queued record at the same moment:
   * it can take the sequence number first (the conflict target is the id only), and then the row is
   * there and a second attempt updates it.
   */
  private async upsert(statement: SqlStatement, values: unknown[]): Promise<boolean> {
    try {
      return (await this.db.sql(statement, values)).rowCount === 1;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      return (await this.db.sql(statement, values)).rowCount === 1;
    }
  }

  /** Ends a run that is still queued or running (cancel, interruption); false when it had already ended. */
  async endIfOpen(id: string, status: CommandStatus, exitCode: number, error: string): Promise<boolean> {
    const { count } = await this.db.client.commandRun.updateMany({
      where: { id, status: { in: ['queued', 'running'] } },
      data: { status, exitCode, error, finishedAt: new Date() },
    });
    return count === 1;
  }

  listOpen(statuses: CommandStatus[], olderThan: Date): Promise<CommandRun[]> {
    return this.db.client.commandRun.findMany({
      where: { status: { in: statuses }, queuedAt: { lte: olderThan } },
      orderBy: [{ labSessionId: 'asc' }, { seq: 'asc' }],
      take: 500,
    });
  }

  listOpenForSession(labSessionId: string): Promise<CommandRun[]> {
    return this.db.client.commandRun.findMany({
      where: { labSessionId, status: { in: ['queued', 'running'] } },
      orderBy: { seq: 'asc' },
    });
  }

  /** The newest `limit` runs of a session, oldest first. */
  async recent(labSessionId: string, limit: number): Promise<CommandRun[]> {
    const rows = await this.db.client.commandRun.findMany({
      where: { labSessionId },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse();
  }

  /** Commands of a session as grading sees them (what ran and how it ended), after sequence `afterSeq`. */
  /** The session's runs numbered after `afterSeq`, and those numbered `again`, whatever their status. */
  async history(labSessionId: string, afterSeq = 0, again: number[] = []): Promise<HistoryRun[]> {
    const { rows } = await this.db.sql<
      Pick<CommandRunRow, 'seq' | 'command' | 'exit_code' | 'output' | 'status' | 'kind'> & {
        effects: RunEffects | null;
      }
    >(HISTORY, [labSessionId, afterSeq, again]);
    return rows.map((row) => ({
      seq: row.seq,
      command: row.command,
      exitCode: row.exit_code,
      output: row.output,
      status: row.status,
      kind: row.kind,
      effects: row.effects,
    }));
  }
}
