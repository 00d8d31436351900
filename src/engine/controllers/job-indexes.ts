/**
 * Indexed Jobs (completionMode: Indexed): each pod carries its completion index in an annotation and a label, and
 * the Job's status lists finished indexes as intervals (`0-2,5`), as the v1.30 job controller writes them.
 */
import type { Pod } from '../api/types';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** backoffLimitPerIndex: how many pods of this index failed before this one. */
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';

/** The pod's completion index, or undefined when missing or outside [0, completions). */
export function indexOf(pod: Pod, completions: number): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const index = Number(text);
  return index < completions ? index : undefined;
}

/** `0-2,5,7-8`: ascending intervals, a lone index alone (succeededIndexesToString). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The indexes of an interval list; malformed parts and indexes past `completions` are dropped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const last = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = Number(m[1]); i <= last; i++) out.add(i);
  }
  return out;
}
