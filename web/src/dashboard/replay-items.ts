import type { ReplayEvent } from '@shared/http-api';

type GradingEvent = Extract<ReplayEvent, { type: 'grading' }>;

export type ReplayItem =
  Exclude<ReplayEvent, GradingEvent> | { type: 'grading'; at: string; results: GradingEvent[] };

/**
 * One grading run records a result per step at the same instant; the replay shows them as one
 * item so commands stay readable between them.
 */
export function groupReplay(events: ReplayEvent[]): ReplayItem[] {
  const items: ReplayItem[] = [];
  for (const event of events) {
    const previous = items[items.length - 1];
    if (event.type !== 'grading') items.push(event);
    else if (previous?.type === 'grading' && previous.at === event.at) previous.results.push(event);
    else items.push({ type: 'grading', at: event.at, results: [event] });
  }
  return items;
}
