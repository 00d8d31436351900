import { effectiveDueAt, isLabLate, isLate, weightedPercent } from './lateness';

const at = (iso: string) => new Date(iso);

describe('lateness rule', () => {
  const due = at('2026-12-11T15:59:00Z');

  it('flags a step first passed after the due time, not one passed at or before it', () => {
    expect(isLate(at('2026-12-11T16:00:00Z'), due)).toBe(true);
    expect(isLate(at('2026-12-11T15:59:00Z'), due)).toBe(false);
    expect(isLate(at('2026-12-10T08:00:00Z'), due)).toBe(false);
  });

  it('never flags a step not passed, nor anything in a lab without a due time', () => {
    expect(isLate(null, due)).toBe(false);
    expect(isLate(at('2030-01-01T00:00:00Z'), null)).toBe(false);
  });

  it("uses the student's extension instead of the lab's due time", () => {
    const extension = at('2026-12-13T15:59:00Z');
    expect(effectiveDueAt(due, extension)).toEqual(extension);
    expect(effectiveDueAt(due, null)).toEqual(due);
    expect(effectiveDueAt(null, undefined)).toBeNull();
    expect(isLate(at('2026-12-12T10:00:00Z'), effectiveDueAt(due, extension))).toBe(false);
  });

  it('calls a lab late when any of its steps is late', () => {
    expect(isLabLate([at('2026-12-10T00:00:00Z'), null], due)).toBe(false);
    expect(isLabLate([at('2026-12-10T00:00:00Z'), at('2026-12-12T00:00:00Z')], due)).toBe(true);
  });

  it('weights each lab by its share of points', () => {
    expect(
      weightedPercent([
        { weight: 1, points: 50, maxPoints: 100 },
        { weight: 3, points: 10, maxPoints: 10 },
      ]),
    ).toBe(87.5);
    expect(
      weightedPercent([
        { weight: 3, points: 50, maxPoints: 100 },
        { weight: 1, points: 10, maxPoints: 10 },
      ]),
    ).toBe(62.5);
    expect(weightedPercent([{ weight: 0, points: 10, maxPoints: 10 }])).toBe(0);
    expect(weightedPercent([])).toBe(0);
  });
});
