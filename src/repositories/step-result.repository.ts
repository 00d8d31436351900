import { Injectable } from '@nestjs/common';
import type { GradingEvent, StepResult, StepState } from '../infra/database/generated/client';
import { DatabaseRepository, SqlStatement } from './database.repository';

export type { GradingEvent, StepResult, StepState };

// Grading runs these after commands, so they are plain SQL (see DatabaseRepository.sql).
const LIST_FOR_SESSION: SqlStatement = {
  name: 'step-result.list-for-session',
  text:
    'SELECT id, lab_session_id, step_id, state, attempts, points, max_points, first_passed_at, ' +
    'last_checked_at, override_points, override_comment, overridden_by_id, overridden_at ' +
    'FROM step_results WHERE lab_session_id = $1',
};
/**
 * $1 session, $2 time, $3… one array element per step: id, new state, points, max points, detail (JSON).
 * The CTEs all read the rows as they were before the statement, which is what `previous` relies on.
 */
const RECORD_EVALUATIONS: SqlStatement = {
  name: 'step-result.record-evaluations',
  text: `
WITH verdict AS (
  SELECT * FROM unnest($3::text[], $4::step_state[], $5::int[], $6::int[], $7::jsonb[])
    AS v(step_id, state, points, max_points, detail)
), previous AS (
  SELECT step_id, state FROM step_results WHERE lab_session_id = $1
), written AS (
  INSERT INTO step_results
    (id, lab_session_id, step_id, state, attempts, points, max_points, first_passed_at, last_checked_at)
  SELECT gen_random_uuid(), $1, step_id, state, 1, points, max_points,
         CASE WHEN state = 'passed' THEN $2::timestamptz END, $2
  FROM verdict
  ON CONFLICT (lab_session_id, step_id) DO UPDATE SET
    state = EXCLUDED.state,
    attempts = step_results.attempts + 1,
    points = EXCLUDED.points,
    max_points = EXCLUDED.max_points,
    first_passed_at = EXCLUDED.first_passed_at,
    last_checked_at = EXCLUDED.last_checked_at
  WHERE step_results.state <> 'passed'
  RETURNING *
), logged AS (
  INSERT INTO grading_events (id, lab_session_id, step_id, state, points, detail, created_at)
  SELECT gen_random_uuid(), $1, w.step_id, w.state, w.points, v.detail, $2
  FROM written w
  JOIN verdict v USING (step_id)
  LEFT JOIN previous p USING (step_id)
  WHERE p.state IS DISTINCT FROM w.state
)
SELECT w.*, p.state AS previous_state FROM written w LEFT JOIN previous p USING (step_id)`,
};

export interface StepVerdict {
  stepId: string;
  passed: boolean;
  points: number;
  maxPoints: number;
  /** Kept with the grading event when the step's state changes (the checks' reasons). */
  detail?: unknown;
}

interface StepResultRow {
  id: string;
  lab_session_id: string;
  step_id: string;
  state: StepState;
  attempts: number;
  points: number;
  max_points: number;
  first_passed_at: Date | null;
  last_checked_at: Date | null;
  override_points: number | null;
  override_comment: string | null;
  overridden_by_id: string | null;
  overridden_at: Date | null;
}

function fromRow(row: StepResultRow): StepResult {
  return {
    id: row.id,
    labSessionId: row.lab_session_id,
    stepId: row.step_id,
    state: row.state,
    attempts: row.attempts,
    points: row.points,
    maxPoints: row.max_points,
    firstPassedAt: row.first_passed_at,
    lastCheckedAt: row.last_checked_at,
    overridePoints: row.override_points,
    overrideComment: row.override_comment,
    overriddenById: row.overridden_by_id,
    overriddenAt: row.overridden_at,
  };
}

@Injectable()
export class StepResultRepository {
  constructor(private readonly db: DatabaseRepository) {}

  async listForSession(labSessionId: string): Promise<StepResult[]> {
    const { rows } = await this.db.sql<StepResultRow>(LIST_FOR_SESSION, [labSessionId]);
    return rows.map(fromRow);
  }

  listForSessions(labSessionIds: string[]): Promise<StepResult[]> {
    return this.db.client.stepResult.findMany({ where: { labSessionId: { in: labSessionIds } } });
  }

  /**
   * Records one grading of a session in one statement: every evaluated step's verdict (attempts + 1,
   * last checked now), a grading event for each step whose state changed, and never anything for a
   * step already passed, which keeps its state, points and first pass time. Returns the rows as they
   * are now and which steps passed for the first time.
   */
  async recordEvaluations(
    labSessionId: string,
    at: Date,
    verdicts: StepVerdict[],
  ): Promise<{ results: StepResult[]; newlyPassed: string[] }> {
    if (verdicts.length === 0) return { results: [], newlyPassed: [] };
    const { rows } = await this.db.sql<StepResultRow & { previous_state: StepState | null }>(
      RECORD_EVALUATIONS,
      [
        labSessionId,
        at,
        verdicts.map((v) => v.stepId),
        verdicts.map((v) => (v.passed ? 'passed' : 'failed')),
        verdicts.map((v) => (v.passed ? v.points : 0)),
        verdicts.map((v) => v.maxPoints),
        verdicts.map((v) => (v.detail === undefined ? null : JSON.stringify(v.detail))),
      ],
    );
    return {
      results: rows.map(fromRow),
      newlyPassed: rows
        .filter((row) => row.state === 'passed' && row.previous_state !== 'passed')
        .map((row) => row.step_id),
    };
  }

  /** An instructor's override of a step's points (null clears it); the audit log keeps who and why. */
  async override(input: {
    labSessionId: string;
    stepId: string;
    points: number | null;
    maxPoints: number;
    comment: string;
    actorId: string;
    at: Date;
  }): Promise<StepResult> {
    const key = { labSessionId_stepId: { labSessionId: input.labSessionId, stepId: input.stepId } };
    const data = {
      overridePoints: input.points,
      overrideComment: input.comment,
      overriddenById: input.actorId,
      overriddenAt: input.at,
    };
    return this.db.client.stepResult.upsert({
      where: key,
      create: { labSessionId: input.labSessionId, stepId: input.stepId, maxPoints: input.maxPoints, ...data },
      update: data,
    });
  }

  events(labSessionId: string): Promise<GradingEvent[]> {
    return this.db.client.gradingEvent.findMany({ where: { labSessionId }, orderBy: { createdAt: 'asc' } });
  }
}
