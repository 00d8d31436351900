import type { ReplayEvent } from '@shared/http-api';
import { groupReplay } from './replay-items';

const command = (at: string, seq: number): ReplayEvent => ({
  type: 'command',
  at,
  runId: `run-${seq}`,
  seq,
  command: 'kubectl get nodes',
  output: '',
  exitCode: 0,
  status: 'completed',
});
const grading = (at: string, stepId: string): ReplayEvent => ({
  type: 'grading',
  at,
  stepId,
  state: 'failed',
  points: 0,
});

describe('groupReplay', () => {
  it('merges the results of one grading run and keeps everything else in order', () => {
    const items = groupReplay([
      command('2026-01-01T10:00:00Z', 1),
      grading('2026-01-01T10:00:01Z', 'a'),
      grading('2026-01-01T10:00:01Z', 'b'),
      command('2026-01-01T10:00:05Z', 2),
      grading('2026-01-01T10:00:06Z', 'a'),
      { type: 'override', at: '2026-01-01T10:01:00Z', stepId: 'a', points: 3, comment: 'ok', by: 't@x' },
      grading('2026-01-01T10:02:00Z', 'b'),
    ]);
    expect(items.map((item) => item.type)).toEqual([
      'command',
      'grading',
      'command',
      'grading',
      'override',
      'grading',
    ]);
    expect(items[1]).toMatchObject({ type: 'grading', results: [{ stepId: 'a' }, { stepId: 'b' }] });
    expect(items[3]).toMatchObject({ results: [{ stepId: 'a' }] });
  });

  it('does not merge grading results of different instants', () => {
    const items = groupReplay([grading('2026-01-01T10:00:01Z', 'a'), grading('2026-01-01T10:00:02Z', 'a')]);
    expect(items).toHaveLength(2);
  });
});
