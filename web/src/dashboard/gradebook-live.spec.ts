import type { GradingUpdate } from '@shared/events';
import type { Gradebook } from '@shared/http-api';
import { applyGradingUpdate, completionSeries } from './gradebook-live';

const book: Gradebook = {
  lab: {
    id: 'lab-1',
    title: { en: 'Lab', 'zh-CN': 'Lab' },
    steps: [
      { id: 'a', title: { en: 'A', 'zh-CN': 'A' }, points: 10 },
      { id: 'b', title: { en: 'B', 'zh-CN': 'B' }, points: 5 },
    ],
  },
  rows: [
    {
      userId: 'u1',
      email: 'one@example.org',
      displayName: 'One',
      labSessionId: null,
      totalPoints: 0,
      maxPoints: 15,
      completedAt: null,
      dueAt: '2026-01-01T10:05:00.000Z',
      late: false,
      labVersion: null,
      steps: {
        a: { state: 'pending', points: 0, firstPassedAt: null, overridden: false, late: false },
        b: { state: 'pending', points: 3, firstPassedAt: null, overridden: true, late: false },
      },
    },
    {
      userId: 'u2',
      email: 'two@example.org',
      displayName: 'Two',
      labSessionId: 's2',
      totalPoints: 10,
      maxPoints: 15,
      completedAt: null,
      dueAt: null,
      late: false,
      labVersion: null,
      steps: {
        a: {
          state: 'passed',
          points: 10,
          firstPassedAt: '2026-01-01T10:05:00.000Z',
          overridden: false,
          late: false,
        },
        b: { state: 'failed', points: 0, firstPassedAt: null, overridden: false, late: false },
      },
    },
  ],
};

function update(partial: Partial<GradingUpdate>): GradingUpdate {
  return {
    labSessionId: 's1',
    userId: 'u1',
    courseId: 'c1',
    labId: 'lab-1',
    steps: [],
    totalPoints: 0,
    maxPoints: 15,
    newlyPassed: [],
    ...partial,
  };
}

describe('applyGradingUpdate', () => {
  it("replaces the student's step cells, total and session, keeping override marks", () => {
    const next = applyGradingUpdate(
      book,
      update({
        steps: [
          {
            stepId: 'a',
            state: 'passed',
            points: 10,
            maxPoints: 10,
            firstPassedAt: '2026-01-01T10:00:00.000Z',
            attempts: 1,
          },
          {
            stepId: 'b',
            state: 'passed',
            points: 3,
            maxPoints: 5,
            firstPassedAt: '2026-01-01T10:09:00.000Z',
            attempts: 2,
          },
        ],
        totalPoints: 13,
        newlyPassed: ['a', 'b'],
      }),
    );
    expect(next?.rows[0]).toMatchObject({
      labSessionId: 's1',
      totalPoints: 13,
      completedAt: '2026-01-01T10:09:00.000Z',
      steps: { a: { state: 'passed', overridden: false }, b: { points: 3, overridden: true } },
    });
    expect(next?.rows[1]).toBe(book.rows[1]);
    expect(book.rows[0].totalPoints).toBe(0);
  });

  it('leaves completedAt empty until every step has passed', () => {
    const next = applyGradingUpdate(
      book,
      update({
        steps: [
          {
            stepId: 'a',
            state: 'passed',
            points: 10,
            maxPoints: 10,
            firstPassedAt: '2026-01-01T10:00:00.000Z',
            attempts: 1,
          },
        ],
        totalPoints: 13,
      }),
    );
    expect(next?.rows[0].completedAt).toBeNull();
  });

  it('asks for a reload for an unknown student and ignores other labs', () => {
    expect(applyGradingUpdate(book, update({ userId: 'new' }))).toBeUndefined();
    expect(applyGradingUpdate(book, update({ labId: 'other', userId: 'new' }))).toBe(book);
  });
});

describe('completionSeries', () => {
  it('counts passed steps cumulatively in time order', () => {
    const next = applyGradingUpdate(
      book,
      update({
        steps: [
          {
            stepId: 'a',
            state: 'passed',
            points: 10,
            maxPoints: 10,
            firstPassedAt: '2026-01-01T10:00:00.000Z',
            attempts: 1,
          },
        ],
      }),
    ) as Gradebook;
    expect(completionSeries(next)).toEqual([
      { at: Date.parse('2026-01-01T10:00:00.000Z'), passed: 1 },
      { at: Date.parse('2026-01-01T10:05:00.000Z'), passed: 2 },
    ]);
    expect(completionSeries({ ...book, rows: [] })).toEqual([]);
  });
});
