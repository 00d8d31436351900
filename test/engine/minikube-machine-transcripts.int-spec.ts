import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod } from '../../src/engine/api/types';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster, restoreCluster } from '../../src/engine/cluster';
import { markNodeReady, nextNodeIndex, registerNode } from '../../src/engine/machine/nodes';

/**
 * Issue 17's minikube operations and Metrics API kinds end to end: `minikube node add` / `node delete` (the joining
 * node NotReady then Ready, kube-proxy following it, the scheduler using it, the drain and removal;
 * minikube-nodes.transcript), `minikube stop` / `start` (kubectl's refused-connection texts, `minikube status`
 * Stopped with exit 7, objects kept and pods restarted; minikube-stop-start.transcript) and `kubectl get
 * podmetrics|nodemetrics` (metrics-kinds.transcript; the same lines are judged by real kubectl in
 * test/conformance/corpus/metrics-flowcontrol.lines), `minikube dashboard --url` and the interactive `minikube ssh`
 * (minikube-dashboard-ssh.transcript), and an Ingress whose TLS Secret is missing: the controller's default
 * certificate, no event (ingress-tls-missing-secret.transcript).
 */
describe.each([
  'minikube-nodes',
  'minikube-stop-start',
  'metrics-kinds',
  'minikube-dashboard-ssh',
  'ingress-tls-missing-secret',
])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});

describe('minikube stop / start', () => {
  it('keeps a stopped machine stopped across a snapshot, and start restarts its pods once', () => {
    const clock = new ManualClock();
    const cluster = createCluster({ clock });
    cluster.stopMachine();
    clock.advance(60_000);
    const restored = restoreCluster(cluster.snapshot(), { clock });
    expect(restored.stopped).toBe(true);
    // Nothing runs while it is stopped: no scheduled change is due.
    expect(restored.nextDueAt()).toBeUndefined();
    restored.startMachine();
    expect(restored.stopped).toBe(false);
    const etcd = restored.api.get<Pod>('pods', 'kube-system', 'etcd-minikube');
    expect(etcd.status?.containerStatuses?.[0].restartCount).toBe(1);
    expect(etcd.status?.containerStatuses?.[0].lastState?.terminated?.finishedAt).toBe(
      new Date(clock.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
  });

  it('keeps a node added later across a snapshot, Ready, with its kube-proxy pod', () => {
    const clock = new ManualClock();
    const cluster = createCluster({ clock });
    const node = registerNode(cluster, nextNodeIndex(cluster));
    clock.advance(5_000);
    markNodeReady(cluster, node.metadata.name);
    clock.advance(30_000);
    const restored = restoreCluster(cluster.snapshot(), { clock });
    const nodes = restored.api.list<Node>('nodes');
    expect(nodes.map((n) => n.metadata.name)).toEqual(['minikube', 'minikube-m02']);
    expect(nodes[1].status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    const proxies = restored.api
      .list<Pod>('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' })
      .filter((p) => p.spec.nodeName === 'minikube-m02');
    expect(proxies.map((p) => p.status?.phase)).toEqual(['Running']);
  });
});
