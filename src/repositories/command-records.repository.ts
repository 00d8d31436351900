import { Injectable } from '@nestjs/common';
import type { CommandStatus, RunKind } from '../infra/database/generated/client';
import { DatabaseRepository, SqlStatement } from './database.repository';

/** One run as a course export carries it: the record whole, with its session's lab and student. */
export interface ExportedRun {
  labSessionId: string;
  labId: string;
  student: { id: string; email: string; displayName: string };
  seq: number;
  command: string;
  kind: RunKind;
  status: CommandStatus;
  exitCode: number | null;
  output: string;
  outputBytes: number;
  truncated: boolean;
  outputTrimmedAt: Date | null;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  homeVersion: number | null;
  effects: unknown;
}

/** A lab session whose runs' outputs are due to be trimmed, and the export that covers it (if any). */
export interface DueSession {
  id: string;
  /** Runs that ended before this instant are in a complete export; null: no export (override only). */
  exportedThrough: Date | null;
}

interface ExportedRunRow {
  seq: number;
  command: string;
  kind: RunKind;
  status: CommandStatus;
  exit_code: number | null;
  output: string;
  output_bytes: number;
  truncated: boolean;
  output_trimmed_at: Date | null;
  error: string | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  home_version: number | null;
  effects: unknown;
}

// A session's runs in pages along the (lab_session_id, seq) unique index: a page is one short read.
const EXPORT_PAGE: SqlStatement = {
  name: 'command-records.export-page',
  text:
    'SELECT seq, command, kind, status, exit_code, output, output_bytes, truncated, output_trimmed_at, error, ' +
    'queued_at, started_at, finished_at, duration_ms, home_version, effects FROM command_runs ' +
    'WHERE lab_session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
};

// Sessions idle since before the cutoff whose outputs were not trimmed since their last activity. With the
// override off ($2), only sessions of courses exported after the session's last activity; with it, no export
// bounds which runs are trimmed.
const DUE_SESSIONS: SqlStatement = {
  name: 'command-records.due-sessions',
  text:
    'SELECT s.id, CASE WHEN $2::boolean THEN NULL ELSE e.started_at END AS exported_through FROM lab_sessions s ' +
    'LEFT JOIN course_record_exports e ON e.course_id = s.course_id ' +
    'WHERE s.last_activity_at < $1 ' +
    'AND (s.records_trimmed_at IS NULL OR s.records_trimmed_at < s.last_activity_at) ' +
    'AND ($2::boolean OR e.started_at > s.last_activity_at) ' +
    'ORDER BY s.last_activity_at LIMIT $3',
};

// One batch: the runs of one seq range of one session (a range scan of the unique index), ended before the
// export began, whose output is longer than the excerpt. Keeps the excerpt and appends a note saying so.
const TRIM_RANGE: SqlStatement = {
  name: 'command-records.trim-range',
  text:
    'UPDATE command_runs SET output = left(output, $4) || $5 || length(output) || $6, output_trimmed_at = $7 ' +
    'WHERE lab_session_id = $1 AND seq > $2 AND seq <= $3 AND finished_at IS NOT NULL ' +
    'AND ($8::timestamptz IS NULL OR finished_at < $8) ' +
    'AND output_trimmed_at IS NULL AND output_bytes > $4 AND length(output) > $4',
};

const MAX_SEQ: SqlStatement = {
  name: 'command-records.max-seq',
  text: 'SELECT coalesce(max(seq), 0) AS max FROM command_runs WHERE lab_session_id = $1',
};

/** Command records as a whole course sees them: the instructor's export and the retention's trimming. */
@Injectable()
export class CommandRecordsRepository {
  constructor(private readonly db: DatabaseRepository) {}

  /** The course's lab sessions with their student, in a stable order (the export's). */
  async sessionsOfCourse(
    courseId: string,
  ): Promise<{ id: string; labId: string; student: ExportedRun['student'] }[]> {
    const sessions = await this.db.client.labSession.findMany({
      where: { courseId },
      select: { id: true, labId: true, user: { select: { id: true, email: true, displayName: true } } },
      orderBy: { id: 'asc' },
    });
    return sessions.map((session) => ({ id: session.id, labId: session.labId, student: session.user }));
  }

  /** Up to `limit` runs of a session numbered after `afterSeq`, in order. */
  async page(
    labSessionId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Omit<ExportedRun, 'labSessionId' | 'labId' | 'student'>[]> {
    const { rows } = await this.db.sql<ExportedRunRow>(EXPORT_PAGE, [labSessionId, afterSeq, limit]);
    return rows.map((row) => ({
      seq: row.seq,
      command: row.command,
      kind: row.kind,
      status: row.status,
      exitCode: row.exit_code,
      output: row.output,
      outputBytes: row.output_bytes,
      truncated: row.truncated,
      outputTrimmedAt: row.output_trimmed_at,
      error: row.error,
      queuedAt: row.queued_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
      homeVersion: row.home_version,
      effects: row.effects,
    }));
  }

  /** Records a complete export of the course (the latest one is what retention checks). */
  async markExported(input: {
    courseId: string;
    startedAt: Date;
    finishedAt: Date;
    exportedById: string;
    runs: number;
  }): Promise<void> {
    const { courseId, ...data } = input;
    await this.db.client.courseRecordExport.upsert({
      where: { courseId },
      create: input,
      update: data,
    });
  }

  lastExport(courseId: string): Promise<{ startedAt: Date; runs: number } | null> {
    return this.db.client.courseRecordExport.findUnique({
      where: { courseId },
      select: { startedAt: true, runs: true },
    });
  }

  async dueSessions(idleBefore: Date, withoutExport: boolean, limit: number): Promise<DueSession[]> {
    const { rows } = await this.db.sql<{ id: string; exported_through: Date | null }>(DUE_SESSIONS, [
      idleBefore,
      withoutExport,
      limit,
    ]);
    return rows.map((row) => ({ id: row.id, exportedThrough: row.exported_through }));
  }

  async maxSeq(labSessionId: string): Promise<number> {
    const { rows } = await this.db.sql<{ max: number }>(MAX_SEQ, [labSessionId]);
    return rows[0].max;
  }

  /**
   * Trims the outputs of the session's runs numbered in (afterSeq, throughSeq] to `keep` characters
   * followed by the note `note[0] + length + note[1]`; returns how many runs were trimmed.
   */
  async trimRange(input: {
    labSessionId: string;
    afterSeq: number;
    throughSeq: number;
    keep: number;
    note: [string, string];
    at: Date;
    endedBefore: Date | null;
  }): Promise<number> {
    const { rowCount } = await this.db.sql(TRIM_RANGE, [
      input.labSessionId,
      input.afterSeq,
      input.throughSeq,
      input.keep,
      input.note[0],
      input.note[1],
      input.at,
      input.endedBefore,
    ]);
    return rowCount;
  }

  async markSessionTrimmed(labSessionId: string, at: Date): Promise<void> {
    await this.db.client.labSession.update({ where: { id: labSessionId }, data: { recordsTrimmedAt: at } });
  }
}
