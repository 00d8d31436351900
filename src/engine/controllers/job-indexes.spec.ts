import type { Pod } from '../api/types';
import { formatIndexes, indexOf, parseIndexes } from './job-indexes';
import { podFailureVerdict } from './pod-failure-policy';

function failedPod(codes: Record<string, number>, conditions: string[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'job-0-abcde',
      namespace: 'default',
      annotations: { 'batch.kubernetes.io/job-completion-index': '0' },
    },
    spec: { containers: [] },
    status: {
      phase: 'Failed',
      conditions: conditions.map((type) => ({ type, status: 'True' })),
      containerStatuses: Object.entries(codes).map(([name, exitCode]) => ({
        name,
        state: { terminated: { exitCode } },
      })),
    },
  } as unknown as Pod;
}

describe('completion indexes', () => {
  it('writes intervals as the job controller does and reads them back', () => {
    expect(formatIndexes([2, 0, 1, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(formatIndexes([])).toBe('');
    expect([...parseIndexes('0-2,5,7-8', 8)]).toEqual([0, 1, 2, 5, 7]);
    expect([...parseIndexes('x,3-,1', 4)]).toEqual([1]);
    expect(indexOf(failedPod({}), 3)).toBe(0);
    expect(indexOf(failedPod({}), 0)).toBeUndefined();
  });
});

describe('podFailurePolicy', () => {
  const rules = [
    {
      action: 'FailJob' as const,
      onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] },
    },
    { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1] } },
  ];

  it('takes the first matching rule, with the FailJob message of the v1.30 controller', () => {
    expect(podFailureVerdict({ rules }, failedPod({ main: 42 }))).toEqual({
      action: 'FailJob',
      message:
        'Container main for pod default/job-0-abcde failed with exit code 42 matching FailJob rule at index 0',
    });
    expect(podFailureVerdict({ rules }, failedPod({ side: 42 }, ['DisruptionTarget']))).toEqual({
      action: 'Ignore',
    });
    expect(podFailureVerdict({ rules }, failedPod({ main: 7 }))).toEqual({ action: 'Count' });
  });

  it('never matches exit code 0, and counts unmatched failures', () => {
    const notIn = [{ action: 'FailJob' as const, onExitCodes: { operator: 'NotIn' as const, values: [1] } }];
    expect(podFailureVerdict({ rules: notIn }, failedPod({ main: 0, side: 1 }))).toEqual({ action: 'Count' });
    expect(podFailureVerdict(undefined, failedPod({ main: 3 }))).toEqual({ action: 'Count' });
  });
});
