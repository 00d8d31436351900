// Drives `engine serve` with the official client (@kubernetes/client-node 1.x, an ES module) and prints what it
// saw as one JSON object; client-node.int-spec.ts runs this script and judges the result.
import * as k8s from '@kubernetes/client-node';

const kc = new k8s.KubeConfig();
kc.loadFromFile(process.argv[2]);
const core = kc.makeApiClient(k8s.CoreV1Api);
const namespace = 'default';
const out = { events: [] };

const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
out.podNames = pods.items.map((p) => p.metadata.name);
out.listResourceVersion = pods.metadata.resourceVersion;

const watcher = new k8s.Watch(kc);
let done;
let aborting = false;
const finished = new Promise((resolve) => (done = resolve));
const request = await watcher.watch(
  `/api/v1/namespaces/${namespace}/configmaps`,
  { resourceVersion: out.listResourceVersion },
  (type, obj) => {
    out.events.push([type, obj.metadata.name, obj.data?.a ?? null, obj.metadata.resourceVersion]);
    if (type === 'DELETED') done();
  },
  (err) => {
    if (err && !aborting) out.watchError = String(err);
    done();
  },
);

const created = await core.createNamespacedConfigMap({
  namespace,
  body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: '1' } },
});
out.created = { name: created.metadata.name, resourceVersion: created.metadata.resourceVersion };

const patched = await core.patchNamespacedConfigMap({
  name: 'cm1',
  namespace,
  body: [{ op: 'replace', path: '/data/a', value: '2' }],
});
out.patched = patched.data;

const merged = await core.patchNamespacedConfigMap(
  { name: 'cm1', namespace, body: { data: { b: '3' } } },
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
);
out.merged = merged.data;

try {
  await core.replaceNamespacedConfigMap({
    name: 'cm1',
    namespace,
    body: { ...merged, metadata: { ...merged.metadata, resourceVersion: created.metadata.resourceVersion } },
  });
  out.stale = 'accepted';
} catch (error) {
  out.stale = { code: error.code, body: JSON.parse(error.body) };
}

try {
  await core.readNamespacedConfigMap({ name: 'nosuch', namespace });
} catch (error) {
  out.missing = { code: error.code, body: JSON.parse(error.body) };
}

await core.deleteNamespacedConfigMap({ name: 'cm1', namespace });
await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 5000))]);
aborting = true;
request.abort();
process.stdout.write(JSON.stringify(out) + '\n');
