/**
 * kubeadm's kube-proxy DaemonSet and its first ControllerRevision in a fresh minikube, with the status its running
 * pods give it. They take two resourceVersions no stored object holds any more (ones that earlier writes superseded),
 * so the store's revision does not move and every object made after boot keeps the resourceVersion it had before
 * the DaemonSet was modelled.
 */
import { rfc3339 } from '../api/time';
import type { ControllerRevision, DaemonSet } from '../api/workload-types';
import { TEMPLATE_GENERATION } from '../controllers/daemonset';
import { REVISION_HASH_LABEL } from '../controllers/history';
import { ownerReferenceTo } from '../controllers/owners';
import type { KubeApiServer } from '../server/kube-api-server';
import { KUBE_PROXY_HASH } from './minikube';
import { Random } from './random';

export function loadKubeProxyDaemonSet(
  server: KubeApiServer,
  template: DaemonSet | undefined,
  nodes: number,
  createdAt: number,
): void {
  if (!template) return;
  const ds = server.createObject(template, template.metadata.uid, true) as DaemonSet;
  const [rv, revisionRv] = freeResourceVersions(server, 2);
  const stamp = rfc3339(createdAt);
  ds.metadata = {
    ...ds.metadata,
    resourceVersion: rv,
    generation: 1,
    creationTimestamp: stamp,
    annotations: { [TEMPLATE_GENERATION]: '1' },
  };
  ds.status = {
    currentNumberScheduled: nodes,
    numberMisscheduled: 0,
    desiredNumberScheduled: nodes,
    numberReady: nodes,
    observedGeneration: 1,
    updatedNumberScheduled: nodes,
    numberAvailable: nodes,
  };
  const revision: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `kube-proxy-${KUBE_PROXY_HASH}`,
      namespace: 'kube-system',
      uid: new Random(0x6b707278).uid(),
      resourceVersion: revisionRv,
      creationTimestamp: stamp,
      annotations: { [TEMPLATE_GENERATION]: '1' },
      labels: { [REVISION_HASH_LABEL]: KUBE_PROXY_HASH, 'k8s-app': 'kube-proxy' },
      ownerReferences: [ownerReferenceTo(ds)],
    },
    data: { spec: { template: { ...structuredClone(ds.spec.template), $patch: 'replace' } } },
    revision: 1,
  };
  server.store.load('daemonsets', ds);
  server.store.load('controllerrevisions', revision);
}

/** The highest `count` resourceVersions below the store's revision that no stored object holds. */
function freeResourceVersions(server: KubeApiServer, count: number): string[] {
  const used = new Set<string>();
  for (const resource of server.store.resources())
    for (const obj of server.store.values(resource)) used.add(obj.metadata.resourceVersion ?? '');
  const out: string[] = [];
  for (let rv = server.store.revision; rv > 0 && out.length < count; rv--)
    if (!used.has(String(rv))) out.push(String(rv));
  return out;
}
