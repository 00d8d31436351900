/**
 * The lateness rule. Lateness is derived when grades are read, never stored, so an extension granted
 * afterwards (or a due time moved) changes the flags at once:
 * - a student's due time for a lab is their extension if they have one, else the lab's due time;
 *   no due time means nothing is ever late;
 * - a step is late when it first passed after that due time (passing exactly at it is on time);
 *   a step never passed is not late, it is simply not done;
 * - a lab is late for a student when any of its steps is late. Late work keeps its points.
 */

export function effectiveDueAt(labDueAt: Date | null, extensionDueAt: Date | null | undefined): Date | null {
  return extensionDueAt ?? labDueAt;
}

export function isLate(firstPassedAt: Date | null | undefined, dueAt: Date | null): boolean {
  return !!firstPassedAt && dueAt !== null && firstPassedAt.getTime() > dueAt.getTime();
}

export function isLabLate(firstPassTimes: (Date | null | undefined)[], dueAt: Date | null): boolean {
  return firstPassTimes.some((passedAt) => isLate(passedAt, dueAt));
}

/**
 * A course total: each lab's share of its points (points / max) weighted by the lab's weight, as a
 * percentage of the total weight, rounded to two decimals. Labs of weight 0 or without points do not
 * count; no counting lab gives 0.
 */
export function weightedPercent(labs: { weight: number; points: number; maxPoints: number }[]): number {
  const counted = labs.filter((lab) => lab.weight > 0 && lab.maxPoints > 0);
  const totalWeight = counted.reduce((sum, lab) => sum + lab.weight, 0);
  if (totalWeight === 0) return 0;
  const share = counted.reduce((sum, lab) => sum + lab.weight * (lab.points / lab.maxPoints), 0);
  return Math.round((share / totalWeight) * 10000) / 100;
}
