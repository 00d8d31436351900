import type { CourseSchedule } from '@shared/schedule-api';
import { api, type ScheduleRowInput } from '../lib/api';

/**
 * The course's schedule with `labId` due at `dueAt` (course-local time): its entry updated, or the lab
 * appended (open now, weight 1) when the course does not list it yet; every other lab kept as it was.
 */
export function scheduleWithDue(schedule: CourseSchedule, labId: string, dueAt: string): ScheduleRowInput[] {
  const labs = schedule.labs.map((entry) => ({
    labId: entry.labId,
    opensAt: entry.opensAtLocal,
    dueAt: entry.labId === labId ? dueAt : entry.dueAtLocal,
    weight: entry.weight,
  }));
  if (!labs.some((entry) => entry.labId === labId)) labs.push({ labId, opensAt: null, dueAt, weight: 1 });
  return labs;
}

/** Sets a published lab's due time in its course (the schedule API replaces the whole list, so it is read first). */
export async function setLabDue(courseId: string, labId: string, dueAt: string): Promise<CourseSchedule> {
  const schedule = await api.schedule(courseId);
  return api.saveSchedule(courseId, scheduleWithDue(schedule, labId, dueAt));
}
