import type { GradingUpdate } from '@shared/events';
import type { Gradebook, GradebookRow } from '@shared/http-api';

/**
 * Applies a live grading update to the gradebook the dashboard shows. Returns undefined when the
 * update is for a student the gradebook does not list yet (someone just joined): reload it then.
 */
export function applyGradingUpdate(book: Gradebook, update: GradingUpdate): Gradebook | undefined {
  if (update.labId !== book.lab.id) return book;
  const index = book.rows.findIndex((row) => row.userId === update.userId);
  if (index < 0) return undefined;
  const previous = book.rows[index];
  const steps: GradebookRow['steps'] = { ...previous.steps };
  // The server's lateness rule (src/services/lateness.ts): first passed after the student's due time.
  const dueAt = previous.dueAt === null ? null : Date.parse(previous.dueAt);
  const late = (passedAt: string | null) =>
    dueAt !== null && passedAt !== null && Date.parse(passedAt) > dueAt;
  for (const status of update.steps) {
    steps[status.stepId] = {
      state: status.state,
      points: status.points,
      firstPassedAt: status.firstPassedAt,
      overridden: previous.steps[status.stepId]?.overridden ?? false,
      late: late(status.firstPassedAt),
    };
  }
  const passedTimes = book.lab.steps.map((step) => steps[step.id]?.firstPassedAt ?? null);
  const completedAt = passedTimes.every((time) => time !== null)
    ? new Date(Math.max(...passedTimes.map((time) => Date.parse(time as string)))).toISOString()
    : null;
  const row: GradebookRow = {
    ...previous,
    labSessionId: update.labSessionId,
    totalPoints: update.totalPoints,
    maxPoints: update.maxPoints,
    completedAt,
    late: Object.values(steps).some((cell) => cell.late),
    steps,
  };
  const rows = [...book.rows];
  rows[index] = row;
  return { ...book, rows };
}

export interface CompletionPoint {
  at: number;
  /** Steps passed by the whole class up to this moment. */
  passed: number;
}

/** Steps passed over time, from every student's firstPassedAt: the series the chart draws. */
export function completionSeries(book: Gradebook): CompletionPoint[] {
  const times = book.rows
    .flatMap((row) => Object.values(row.steps).map((cell) => cell.firstPassedAt))
    .filter((time): time is string => time !== null)
    .map((time) => Date.parse(time))
    .sort((a, b) => a - b);
  return times.map((at, index) => ({ at, passed: index + 1 }));
}
