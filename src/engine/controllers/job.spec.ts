import type { Job, KubeEvent, Pod } from '../api/types';
import { labCluster } from '../testing';

function job(name: string, spec: Partial<Job['spec']>, command: string[]): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: {
        metadata: {},
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command }] },
      },
      ...spec,
    },
  } as Job;
}

describe('job controller', () => {
  it('cuts a long Job name so the index survives in the pod names (podGenerateNameWithIndex)', () => {
    const { cluster } = labCluster();
    const name = 'x'.repeat(60);
    cluster.api.create(
      job(name, { completionMode: 'Indexed', completions: 2, parallelism: 2 }, ['sleep', '60']),
    );
    const pods = cluster.api.list<Pod>('pods', { namespace: 'default' });
    expect(pods.map((p) => [p.metadata.generateName, p.metadata.name.length, p.spec.hostname])).toEqual([
      [`${'x'.repeat(55)}-0-`, 63, `${name}-0`],
      [`${'x'.repeat(55)}-1-`, 63, `${name}-1`],
    ]);
  });

  it('records SuccessfulDelete for each active pod it removes when the Job fails', () => {
    const { cluster, clock } = labCluster();
    // Index 0 fails after 5 s, index 1 would after 15 s: the Job fails first and removes it.
    const command = ['sh', '-c', 'sleep ${JOB_COMPLETION_INDEX}5; exit 1'];
    cluster.api.create(
      job('fails', { completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimit: 0 }, command),
    );
    const [a, b] = cluster.api.list<Pod>('pods', { namespace: 'default' }).map((p) => p.metadata.name);
    clock.advance(12_000);
    cluster.sync();
    const events = cluster.api
      .list<KubeEvent>('events', { namespace: 'default', fieldSelector: 'involvedObject.kind=Job' })
      .map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual([
      `SuccessfulCreate: Created pod: ${a}`,
      `SuccessfulCreate: Created pod: ${b}`,
      `SuccessfulDelete: Deleted pod: ${b}`,
      'BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
  });
});
