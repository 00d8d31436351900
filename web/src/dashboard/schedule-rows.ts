import type { LocalizedText } from '@shared/http-api';
import type { CourseSchedule } from '@shared/schedule-api';
import type { ScheduleRowInput } from '../lib/api';

/** One row of the schedule editor: times as a datetime-local input holds them ("" for none). */
export interface ScheduleRow {
  labId: string;
  title: LocalizedText;
  opensAt: string;
  dueAt: string;
  weight: number;
}

/** The editor's rows from the server's schedule (local times of the course's zone). */
export function scheduleRows(schedule: CourseSchedule): ScheduleRow[] {
  return schedule.labs.map((lab) => ({
    labId: lab.labId,
    title: lab.title,
    opensAt: lab.opensAtLocal ?? '',
    dueAt: lab.dueAtLocal ?? '',
    weight: lab.weight,
  }));
}

/** What PUT /courses/:id/schedule takes: the rows in order, an empty time meaning none. */
export function toScheduleInput(rows: ScheduleRow[]): ScheduleRowInput[] {
  return rows.map((row) => ({
    labId: row.labId,
    opensAt: row.opensAt.trim() || null,
    dueAt: row.dueAt.trim() || null,
    weight: row.weight,
  }));
}

/** The rows with one moved up (-1) or down (+1); a move past either end changes nothing. */
export function moveRow<T>(rows: T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (index < 0 || index >= rows.length || target < 0 || target >= rows.length) return rows;
  const moved = [...rows];
  [moved[index], moved[target]] = [moved[target], moved[index]];
  return moved;
}
