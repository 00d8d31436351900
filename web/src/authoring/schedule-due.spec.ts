import type { CourseSchedule, ScheduleEntryView } from '@shared/schedule-api';
import { scheduleWithDue } from './schedule-due';

const entry = (labId: string, over: Partial<ScheduleEntryView> = {}): ScheduleEntryView => ({
  labId,
  title: { en: labId, 'zh-CN': labId },
  position: 1,
  opensAt: null,
  opensAtLocal: null,
  dueAt: null,
  dueAtLocal: null,
  weight: 1,
  maxPoints: 100,
  stepCount: 10,
  ...over,
});
const schedule = (labs: ScheduleEntryView[]): CourseSchedule => ({
  courseId: 'c1',
  timeZone: 'Asia/Shanghai',
  labs,
  otherLabs: [],
  extensions: [],
});

describe('scheduleWithDue', () => {
  it('sets the due time of a listed lab and keeps every other entry', () => {
    const labs = scheduleWithDue(
      schedule([
        entry('a', { opensAtLocal: '2026-12-01T08:00', dueAtLocal: '2026-12-05T23:59', weight: 2 }),
        entry('mine', { opensAtLocal: '2026-12-02T08:00' }),
      ]),
      'mine',
      '2026-12-20T23:59',
    );
    expect(labs).toEqual([
      { labId: 'a', opensAt: '2026-12-01T08:00', dueAt: '2026-12-05T23:59', weight: 2 },
      { labId: 'mine', opensAt: '2026-12-02T08:00', dueAt: '2026-12-20T23:59', weight: 1 },
    ]);
  });

  it('appends a lab the course does not list yet, open at once', () => {
    expect(scheduleWithDue(schedule([entry('a')]), 'new-lab', '2026-12-20T23:59')).toEqual([
      { labId: 'a', opensAt: null, dueAt: null, weight: 1 },
      { labId: 'new-lab', opensAt: null, dueAt: '2026-12-20T23:59', weight: 1 },
    ]);
  });
});
