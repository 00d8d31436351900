/**
 * A namespace's life, as three controllers of kube-controller-manager handle it:
 * - the service account controller gives every active namespace its `default` ServiceAccount;
 * - the root CA publisher gives it the `kube-root-ca.crt` ConfigMap (and puts its content back if changed);
 * - the namespace controller empties a Terminating namespace (every object in it is deleted, pods terminate
 *   gracefully), shows what remains in the namespace's conditions, then drops the `kubernetes` finalizer, and the
 *   namespace is gone.
 * None of them records events, as in a real cluster.
 */
import { RESOURCES, type ResourceName } from '../api/resources';
import { isStatusError } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { ConfigMap, KubeObject, Namespace, NamespaceCondition, ServiceAccount } from '../api/types';
import { MINIKUBE_CA_PEM } from '../store/minikube-ca';
import type { Controller, ControllerContext } from './context';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

const POPULATE_INPUTS: readonly ResourceName[] = ['namespaces'];
/** Everything populate reads, in any namespace. */
const ALL_POPULATE_INPUTS: readonly ResourceName[] = [
  'namespaces',
  'serviceaccounts',
  'configmaps',
  'resourcequotas',
];
const NAMESPACED: readonly ResourceName[] = RESOURCES.filter((r) => r.namespaced).map((r) => r.resource);

export class NamespaceController implements Controller {
  readonly watches: readonly ResourceName[] = ['namespaces', ...NAMESPACED];

  /**
   * Per active namespace: the store revision when populate last looked at it. Populate reads only that
   * namespace's ServiceAccounts, ConfigMaps and quotas: while none of them (nor any namespace) changed, it would
   * find the same and do nothing, so it is skipped.
   */
  private readonly populatedAt = new Map<string, number>();
  /** The store revision when the last pass began (-1: none yet), and whether it found a namespace Terminating. */
  private lastPass = -1;
  private terminating = false;

  constructor(private readonly ctx: ControllerContext) {}

  assumeSettled(): void {
    for (const ns of this.ctx.store.values<Namespace>('namespaces'))
      if (ns.status?.phase !== 'Terminating') this.populatedAt.set(ns.metadata.name, this.ctx.store.revision);
  }

  reconcile(): void {
    const { store } = this.ctx;
    // Most passes follow writes that concern none of this: no namespace being emptied (that takes a write to the
    // namespace), and none of what populate reads changed anywhere since the last pass.
    const since = this.lastPass;
    this.lastPass = store.revision;
    if (!this.terminating && since >= 0 && !store.changedSince(ALL_POPULATE_INPUTS, since)) return;
    this.terminating = false;
    for (const ns of store.values<Namespace>('namespaces')) {
      const name = ns.metadata.name;
      if (ns.status?.phase === 'Terminating') {
        this.terminating = true;
        this.populatedAt.delete(name);
        this.finalize(ns);
        continue;
      }
      const at = this.populatedAt.get(name);
      if (
        at !== undefined &&
        !store.changedSince(POPULATE_INPUTS, at) &&
        !store.changedInSince('serviceaccounts', name, at) &&
        !store.changedInSince('configmaps', name, at) &&
        !store.changedInSince('resourcequotas', name, at)
      )
        continue;
      this.populatedAt.set(name, store.revision);
      this.populate(name);
    }
  }

  /**
   * The default ServiceAccount and the root CA ConfigMap of an active namespace. `uid` is given at boot, so the
   * boot objects do not draw from the cluster's random sequence.
   */
  populate(namespace: string, uid?: () => string): void {
    const { store } = this.ctx;
    if (!store.get('serviceaccounts', namespace, 'default'))
      this.create<ServiceAccount>(
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } },
        uid?.(),
      );
    const ca = store.get<ConfigMap>('configmaps', namespace, ROOT_CA_CONFIGMAP);
    if (!ca)
      this.create<ConfigMap>(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: ROOT_CA_CONFIGMAP,
            namespace,
            annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION },
          },
          data: { 'ca.crt': MINIKUBE_CA_PEM },
        },
        uid?.(),
      );
    else if (ca.data?.['ca.crt'] !== MINIKUBE_CA_PEM || Object.keys(ca.data ?? {}).length !== 1) {
      const restored: ConfigMap = {
        ...ca,
        metadata: { ...ca.metadata },
        data: { 'ca.crt': MINIKUBE_CA_PEM },
      };
      delete restored.binaryData;
      this.ctx.server.updateObject(restored, { fromClient: false });
    }
  }

  private create<T extends KubeObject>(obj: T, uid: string | undefined): void {
    try {
      this.ctx.server.createObject(obj, uid);
    } catch (error) {
      // The namespace went away or started terminating in the meantime: nothing to give it.
      if (!isStatusError(error)) throw error;
    }
  }

  private finalize(ns: Namespace): void {
    const { store, server } = this.ctx;
    const name = ns.metadata.name;
    const remaining = new Map<ResourceName, number>();
    for (const resource of NAMESPACED) {
      for (const obj of store.valuesIn(resource, name)) {
        remaining.set(resource, (remaining.get(resource) ?? 0) + 1);
        if (!obj.metadata.deletionTimestamp) server.deleteObject(resource, name, obj.metadata.name);
      }
    }
    // What the deletions left (pods terminating gracefully).
    const left = new Map<ResourceName, number>();
    for (const resource of remaining.keys()) {
      const count = store.valuesIn(resource, name).length;
      if (count > 0) left.set(resource, count);
    }
    if (left.size === 0) {
      server.removeObject('namespaces', undefined, name);
      return;
    }
    const conditions = deletionConditions(left, ns.status.conditions, rfc3339(this.ctx.now()));
    const current = store.get<Namespace>('namespaces', undefined, name);
    if (current && JSON.stringify(current.status.conditions) !== JSON.stringify(conditions))
      server.updateObject<Namespace>(
        { ...current, metadata: { ...current.metadata }, status: { phase: 'Terminating', conditions } },
        { fromClient: false },
      );
  }
}

/** The namespace controller's five deletion conditions while content remains (describe ns shows them). */
function deletionConditions(
  left: Map<ResourceName, number>,
  previous: NamespaceCondition[] | undefined,
  now: string,
): NamespaceCondition[] {
  const remaining = [...left]
    .map(([resource, count]) => {
      const info = RESOURCES.find((r) => r.resource === resource)!;
      return `${info.resource}.${info.group} has ${count} resource instances`;
    })
    .sort()
    .join(', ');
  const at = (type: string, status: string) => {
    const before = previous?.find((c) => c.type === type);
    return before && before.status === status ? (before.lastTransitionTime ?? now) : now;
  };
  const condition = (type: string, status: string, reason: string, message: string): NamespaceCondition => ({
    type,
    status,
    lastTransitionTime: at(type, status),
    reason,
    message,
  });
  return [
    condition(
      'NamespaceDeletionDiscoveryFailure',
      'False',
      'ResourcesDiscovered',
      'All resources successfully discovered',
    ),
    condition(
      'NamespaceDeletionGroupVersionParsingFailure',
      'False',
      'ParsedGroupVersions',
      'All legacy kube types successfully parsed',
    ),
    condition(
      'NamespaceDeletionContentFailure',
      'False',
      'ContentDeleted',
      'All content successfully deleted, may be waiting on finalization',
    ),
    condition(
      'NamespaceContentRemaining',
      'True',
      'SomeResourcesRemain',
      `Some resources are remaining: ${remaining}`,
    ),
    condition(
      'NamespaceFinalizersRemaining',
      'False',
      'ContentHasNoFinalizers',
      'All content-preserving finalizers finished',
    ),
  ];
}
