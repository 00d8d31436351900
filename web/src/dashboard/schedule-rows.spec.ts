import type { CourseSchedule } from '@shared/schedule-api';
import { moveRow, scheduleRows, toScheduleInput } from './schedule-rows';

const title = { en: 'Lab', 'zh-CN': '实验' };
const schedule: CourseSchedule = {
  courseId: 'c1',
  timeZone: 'Asia/Shanghai',
  labs: [
    {
      labId: 'a',
      title,
      position: 1,
      opensAt: '2026-12-07T00:00:00.000Z',
      opensAtLocal: '2026-12-07T08:00',
      dueAt: null,
      dueAtLocal: null,
      weight: 2,
      maxPoints: 10,
      stepCount: 2,
    },
    {
      labId: 'b',
      title,
      position: 2,
      opensAt: null,
      opensAtLocal: null,
      dueAt: '2026-12-11T15:59:00.000Z',
      dueAtLocal: '2026-12-11T23:59',
      weight: 1,
      maxPoints: 5,
      stepCount: 1,
    },
  ],
  otherLabs: [],
  extensions: [],
};

describe('schedule editor rows', () => {
  it('edits local times of the course zone and sends them back, empty meaning no date', () => {
    const rows = scheduleRows(schedule);
    expect(rows.map((row) => [row.labId, row.opensAt, row.dueAt, row.weight])).toEqual([
      ['a', '2026-12-07T08:00', '', 2],
      ['b', '', '2026-12-11T23:59', 1],
    ]);
    expect(toScheduleInput(rows)).toEqual([
      { labId: 'a', opensAt: '2026-12-07T08:00', dueAt: null, weight: 2 },
      { labId: 'b', opensAt: null, dueAt: '2026-12-11T23:59', weight: 1 },
    ]);
  });

  it('moves a row up or down and ignores a move past either end', () => {
    expect(moveRow(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRow(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    const rows = ['a', 'b'];
    expect(moveRow(rows, 0, -1)).toBe(rows);
    expect(moveRow(rows, 1, 1)).toBe(rows);
  });
});
