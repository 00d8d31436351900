import { join } from 'node:path';
import { loadLabFile } from '../loader/loader';
import { EvaluationContext, HistoryEntry, KubeObjectJson } from '../evaluation/context';
import {
  IMAGES,
  deployment,
  node,
  pod,
  replicaSet,
  runningV1,
  service,
  stuckOnV10,
} from '../evaluation/fixture-objects';
import { readObjectsFromList } from '../evaluation/objects-from-list';
import { diagnose } from './diagnose';

const lab = loadLabFile(join(__dirname, '../../../labs/lec7-k8s-basics/lab.yaml'));

function contextOf(objects: KubeObjectJson[], history: HistoryEntry[] = []): EvaluationContext {
  return { readObjects: readObjectsFromList(objects), history };
}

const ids = async (context: EvaluationContext, stepId?: string) =>
  (await diagnose(lab, context, { stepId })).map((hint) => hint.id);

describe('diagnose (Lec7 diagnostics)', () => {
  it('says nothing when the cluster is healthy', async () => {
    expect(await ids(contextOf(runningV1()))).toEqual([]);
  });

  it('names the pod that cannot pull its image, with the hint that fits the step', async () => {
    const hints = await diagnose(lab, contextOf(stuckOnV10()), { stepId: 'rollback' });
    expect(hints.map((hint) => hint.id)).toEqual(['image-pull-failure', 'stuck-on-v10']);
    expect(hints[0].hint.en).toBe(
      'Pod yanwei.app-86f6cb97f5-l8x2p cannot pull its image. Run `kubectl describe pod` to read the events and check the image name and tag for typos.',
    );
    expect(hints[0].matched).toEqual(['yanwei.app-86f6cb97f5-l8x2p']);
    expect(await ids(contextOf(stuckOnV10()), 'failed-upgrade')).toEqual(['image-pull-failure-expected']);
  });

  it('explains the DNS-1035 error of a service named after the deployment, until the service exists', async () => {
    const error =
      'The Service "yanwei.app" is invalid: metadata.name: Invalid value: "yanwei.app": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\'';
    const history = [
      {
        command: 'kubectl expose deployment/yanwei.app --type=NodePort --port 8080',
        exitCode: 1,
        output: error,
      },
    ];
    const withoutService = runningV1().filter((object) => object.metadata.name !== 'yanwei');
    expect(await ids(contextOf(withoutService, history), 'expose')).toEqual(['service-name-with-dot']);
    expect(await ids(contextOf(runningV1(), history), 'expose')).toEqual([]);
  });

  it('spots a service whose selector matches no pod', async () => {
    const objects = [
      ...runningV1().filter((object) => object.metadata.name !== 'yanwei'),
      service({ selector: { app: 'yanwei' } }),
    ];
    const [hint] = await diagnose(lab, contextOf(objects), { stepId: 'expose' });
    expect(hint.id).toBe('service-selects-no-pods');
    expect(hint.hint['zh-CN']).toContain('Service yanwei 的选择器没有匹配到任何 Pod');
  });

  it('spots a deployment created under another name', async () => {
    const objects = [node(), deployment({ name: 'kubernetes-bootcamp', image: IMAGES.V1, replicas: 1 })];
    const [hint] = await diagnose(lab, contextOf(objects));
    expect(hint.id).toBe('deployment-misnamed');
    expect(hint.hint.en).toBe(
      'Your deployment is called kubernetes-bootcamp, but the lab checks `yanwei.app`. Create it again with `kubectl create deployment yanwei.app ...`.',
    );
  });

  it('reassures about the tutorial name that does not exist here', async () => {
    const history = [
      {
        command: 'kubectl delete deployment kubernetes-bootcamp',
        exitCode: 1,
        output: 'Error from server (NotFound): deployments.apps "kubernetes-bootcamp" not found\n',
      },
    ];
    expect(await ids(contextOf(runningV1(), history))).toEqual(['tutorial-deployment-absent']);
  });

  it('helps with a failed curl and fills in the captured NodePort', async () => {
    const history = [
      { command: 'curl $(minikube ip):8080', exitCode: 7, output: 'curl: (7) Failed to connect\n' },
    ];
    const [hint] = await diagnose(lab, contextOf(runningV1(), history), { stepId: 'expose' });
    expect(hint.id).toBe('curl-failed');
    expect(hint.hint.en).toContain('e.g. `curl $(minikube ip):31562`');
    const fixed = [
      ...history,
      { command: 'curl $(minikube ip):31562', exitCode: 0, output: 'Hello Kubernetes bootcamp! | v=1\n' },
    ];
    expect(await ids(contextOf(runningV1(), fixed), 'expose')).toEqual([]);
  });

  it('tells how to change a node label that has another value', async () => {
    const objects = [node({ disktype: 'hdd' })];
    const [hint] = await diagnose(lab, contextOf(objects), { stepId: 'label-node' });
    expect(hint.id).toBe('node-label-value');
    expect(hint.hint.en).toContain('`kubectl label nodes minikube disktype=ssd --overwrite`');
    expect(await ids(contextOf([node({ disktype: 'ssd' })]), 'label-node')).toEqual([]);
  });

  it('spots a service of the wrong type or on the wrong port', async () => {
    const without = runningV1().filter((object) => object.metadata.name !== 'yanwei');
    expect(await ids(contextOf([...without, service({ type: 'ClusterIP' })]), 'expose')).toEqual([
      'service-not-nodeport',
    ]);
    expect(await ids(contextOf([...without, service({ port: 80 })]), 'expose')).toEqual([
      'service-wrong-port',
    ]);
  });

  it('only returns the hints relevant to the asked step', async () => {
    const objects = [
      ...stuckOnV10(),
      replicaSet('6b8f8d6c9d', IMAGES.V1, 1, 0),
      pod('yanwei.app-6b8f8d6c9d-abcde', '6b8f8d6c9d', IMAGES.V1, 'running'),
    ];
    expect(await ids(contextOf(objects), 'label-node')).toEqual([]);
    expect(await ids(contextOf(objects))).toEqual([
      'image-pull-failure',
      'image-pull-failure-expected',
      'stuck-on-v10',
    ]);
  });
});
