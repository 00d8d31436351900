import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CommandRun, CommandStatus } from '../infra/database/generated/client';
import { DatabaseRepository, SqlStatement } from './database.repository';

export type { CommandRun, CommandStatus };

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
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
}

const COLUMNS =
  'id, lab_session_id, user_id, cluster_id, seq, command, status, exit_code, output, output_bytes, ' +
  'truncated, error, queued_at, started_at, finished_at, duration_ms';

// Every command runs these, so they are plain SQL (see DatabaseRepository.sql).
const INSERT: SqlStatement = {
  name: 'command-run.insert',
  text:
    'INSERT INTO command_runs (id, lab_session_id, user_id, seq, command, status, error, finished_at) ' +
    `VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
};
const START: SqlStatement = {
  name: 'command-run.start',
  text: "UPDATE command_runs SET status = 'running', cluster_id = $2, started_at = $3 WHERE id = $1 AND status = 'queued'",
};
const FINISH: SqlStatement = {
  name: 'command-run.finish',
  text:
    'UPDATE command_runs SET status = $2, exit_code = $3, output = $4, output_bytes = $5, truncated = $6, ' +
    'finished_at = $7, duration_ms = $8, error = $9 WHERE id = $1',
};
const HISTORY: SqlStatement = {
  name: 'command-run.history',
  text:
    'SELECT seq, command, exit_code, output, status FROM command_runs ' +
    "WHERE lab_session_id = $1 AND seq > $2 AND status IN ('completed', 'timed_out', 'cancelled') ORDER BY seq",
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
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  };
}

@Injectable()
export class CommandRunRepository {
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
    const finishedAt = input.status === 'rejected' ? new Date() : null;
    try {
      const { rows } = await this.db.sql<CommandRunRow>(INSERT, [
        randomUUID(),
        input.labSessionId,
        input.userId,
        input.seq,
        input.command,
        input.status,
        input.error ?? null,
        finishedAt,
      ]);
      return fromRow(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
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

  /** Marks a queued run as running; false when it was cancelled meanwhile. */
  async start(id: string, clusterId: string, startedAt: Date): Promise<boolean> {
    const { rowCount } = await this.db.sql(START, [id, clusterId, startedAt]);
    return rowCount === 1;
  }

  async finish(
    id: string,
    result: {
      status: CommandStatus;
      exitCode: number | null;
      output: string;
      outputBytes: number;
      truncated: boolean;
      finishedAt: Date;
      durationMs: number | null;
      error?: string;
    },
  ): Promise<void> {
    await this.db.sql(FINISH, [
      id,
      result.status,
      result.exitCode,
      result.output,
      result.outputBytes,
      result.truncated,
      result.finishedAt,
      result.durationMs,
      result.error ?? null,
    ]);
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
  async history(
    labSessionId: string,
    afterSeq = 0,
  ): Promise<Pick<CommandRun, 'seq' | 'command' | 'exitCode' | 'output' | 'status'>[]> {
    const { rows } = await this.db.sql<
      Pick<CommandRunRow, 'seq' | 'command' | 'exit_code' | 'output' | 'status'>
    >(HISTORY, [labSessionId, afterSeq]);
    return rows.map((row) => ({
      seq: row.seq,
      command: row.command,
      exitCode: row.exit_code,
      output: row.output,
      status: row.status,
    }));
  }
}
