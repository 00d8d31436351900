/**
 * The StatefulSet controller: pods `<sts>-0` … `<sts>-(n-1)` with stable names, hostname and subdomain (the
 * headless Service in spec.serviceName). OrderedReady (the default) creates one ordinal at a time, each only once
 * every lower one is Running and Ready, and removes the highest ordinal first, one at a time; Parallel does
 * both at once. A changed template rolls from the highest ordinal down to the partition. Revisions are
 * ControllerRevisions named `<sts>-<hash>`, which is also the pods' controller-revision-hash.
 * Each volumeClaimTemplates entry gives every pod a claim `<template>-<sts>-<ordinal>`, made before the pod and
 * kept when the pod, a scale-down or the set itself removes it (the default Retain/Retain retention policy).
 */
import { isStatusError } from '../api/status-error';
import type { PersistentVolumeClaim } from '../api/storage-types';
import type { OwnerReference, Pod } from '../api/types';
import type { StatefulSet, StatefulSetStatus } from '../api/workload-types';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { currentRevision, REVISION_HASH_LABEL, truncateHistory } from './history';
import { byCreation, isControlledBy, isPodReady, isTerminating, ownerReferenceTo } from './owners';
import { SettledSyncs } from './settled';

const COMPONENT = { component: 'statefulset-controller' };
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod named `<set>-<n>`, or -1. */
export function ordinalOf(set: string, pod: string): number {
  if (!pod.startsWith(`${set}-`)) return -1;
  const rest = pod.slice(set.length + 1);
  return /^(0|[1-9]\d{0,8})$/.test(rest) ? Number(rest) : -1;
}

const runningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);

export class StatefulSetController implements Controller {
  readonly watches = ['statefulsets', 'pods', 'controllerrevisions'] as const;

  /** A set's sync reads only these, in its namespace, and never the time: one that wrote nothing is skipped
   *  until they change. A sync cut short by a refused write is not (it retries on every pass, as before). */
  private readonly settled: SettledSyncs;

  constructor(private readonly ctx: ControllerContext) {
    this.settled = new SettledSyncs(ctx.store, [
      'statefulsets',
      'pods',
      'controllerrevisions',
      'persistentvolumeclaims',
    ]);
  }

  reconcile(): void {
    if (this.ctx.store.count('statefulsets') === 0) return;
    for (const sts of this.ctx.store.values<StatefulSet>('statefulsets').sort(byCreation)) {
      if (isTerminating(sts)) continue;
      this.settled.run(sts.metadata.uid ?? '', sts.metadata.namespace, () => {
        try {
          this.sync(sts);
          return true;
        } catch (error) {
          if (!isStatusError(error)) throw error;
          return false;
        }
      });
    }
    this.settled.prune('statefulsets');
  }

  private sync(sts: StatefulSet): void {
    const ns = sts.metadata.namespace ?? 'default';
    const name = sts.metadata.name;
    const { revision, all } = currentRevision(this.ctx, sts);
    const updateRevision = revision.metadata.name;
    const pods = this.ctx.store
      .valuesIn<Pod>('pods', ns)
      .filter((p) => isControlledBy(p, sts) && ordinalOf(name, p.metadata.name) >= 0);
    const byOrdinal = new Map(pods.map((p) => [ordinalOf(name, p.metadata.name), p]));
    const replicas = sts.spec.replicas ?? 1;
    const parallel = sts.spec.podManagementPolicy === 'Parallel';
    // A failed pod is deleted and made again.
    for (const pod of pods)
      if (!isTerminating(pod) && pod.status?.phase === 'Failed') this.deletePod(sts, pod);
    let blocked = false;
    for (let ord = 0; ord < replicas; ord++) {
      const pod = byOrdinal.get(ord);
      if (!pod) {
        this.createPod(sts, ord, updateRevision);
        if (!parallel) {
          blocked = true;
          break;
        }
        continue;
      }
      if (!parallel && (isTerminating(pod) || !runningAndReady(pod))) {
        blocked = true;
        break;
      }
    }
    const condemned = pods
      .filter((p) => ordinalOf(name, p.metadata.name) >= replicas)
      .sort((a, b) => ordinalOf(name, b.metadata.name) - ordinalOf(name, a.metadata.name));
    // whenScaled: Delete hands a condemned pod's claims to the pod, so they go with it (garbage collector).
    if (sts.spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete')
      for (const pod of condemned) this.giveClaimsTo(sts, pod);
    if (parallel) {
      for (const pod of condemned) if (!isTerminating(pod)) this.deletePod(sts, pod);
    } else if (!blocked && condemned.length > 0) {
      // One at a time, highest first, and only when the ones before it are gone.
      const [highest] = condemned;
      if (!condemned.some(isTerminating) && condemned.every((p) => p === highest || runningAndReady(p)))
        this.deletePod(sts, highest);
      blocked = true;
    }
    if (!blocked && (sts.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const live = [...byOrdinal.entries()].filter(([ord]) => ord < replicas).sort(([a], [b]) => b - a);
      if (live.every(([, p]) => !isTerminating(p) && runningAndReady(p))) {
        const outdated = live.find(
          ([ord, p]) => ord >= partition && p.metadata.labels?.[REVISION_HASH_LABEL] !== updateRevision,
        );
        if (outdated) this.deletePod(sts, outdated[1]);
      }
    }
    const inUse = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL] ?? ''));
    truncateHistory(this.ctx, sts, all, revision, inUse);
    this.writeStatus(sts, updateRevision);
  }

  private writeStatus(sts: StatefulSet, updateRevision: string): void {
    const ns = sts.metadata.namespace ?? 'default';
    const latest = this.ctx.store.get<StatefulSet>('statefulsets', ns, sts.metadata.name);
    if (!latest) return;
    const pods = this.ctx.store
      .valuesIn<Pod>('pods', ns)
      .filter((p) => isControlledBy(p, sts) && ordinalOf(sts.metadata.name, p.metadata.name) >= 0);
    const counted = pods.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
    const ready = counted.filter(isPodReady).length;
    const updated = counted.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === updateRevision).length;
    const replicas = sts.spec.replicas ?? 1;
    const previous = latest.status?.currentRevision;
    const currentRevision =
      !previous || (updated === replicas && counted.length === replicas) ? updateRevision : previous;
    const current = counted.filter(
      (p) => p.metadata.labels?.[REVISION_HASH_LABEL] === currentRevision,
    ).length;
    const status: StatefulSetStatus = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: counted.length,
      readyReplicas: ready,
      currentReplicas: current,
      updatedReplicas: updated,
      currentRevision,
      updateRevision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    for (const key of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const)
      if (status[key] === 0) delete status[key];
    if (deepEqual(latest.status ?? {}, status)) return;
    this.ctx.server.updateObject(withStatus(latest, status), { fromClient: false });
  }

  /** createPersistentVolumeClaims: the pod's claims that do not exist yet; false when one could not be made. */
  private createClaims(sts: StatefulSet, podName: string): boolean {
    const ns = sts.metadata.namespace ?? 'default';
    for (const claim of claimsFor(sts, podName)) {
      if (this.ctx.store.get('persistentvolumeclaims', ns, claim.metadata.name)) continue;
      const what = `Claim ${claim.metadata.name} Pod ${podName} in StatefulSet ${sts.metadata.name}`;
      try {
        this.ctx.server.createObject(claim);
        this.ctx.events.record(sts, 'Normal', 'SuccessfulCreate', `create ${what} success`, COMPONENT);
      } catch (error) {
        if (!isStatusError(error)) throw error;
        this.ctx.events.record(
          sts,
          'Warning',
          'FailedCreate',
          `create ${what} failed error: ${error.message}`,
          COMPONENT,
        );
        return false;
      }
    }
    return true;
  }

  private giveClaimsTo(sts: StatefulSet, pod: Pod): void {
    for (const claim of claimsFor(sts, pod.metadata.name)) {
      const stored = this.ctx.store.get<PersistentVolumeClaim>(
        'persistentvolumeclaims',
        pod.metadata.namespace,
        claim.metadata.name,
      );
      if (!stored || stored.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid)) continue;
      // The set lets go of a condemned pod's claims (updateClaimOwnerRefForSetAndPod), the pod takes them.
      const owned = { ...stored, metadata: { ...stored.metadata } };
      owned.metadata.ownerReferences = [
        ...(stored.metadata.ownerReferences ?? []).filter((r) => r.uid !== sts.metadata.uid),
        plainOwnerRef(pod),
      ];
      this.ctx.server.updateObject(owned, { fromClient: false });
    }
  }

  private createPod(sts: StatefulSet, ordinal: number, revision: string): void {
    const template = sts.spec.template;
    const podName = `${sts.metadata.name}-${ordinal}`;
    if (!this.createClaims(sts, podName)) return;
    const claims = claimsFor(sts, podName);
    const claimed = new Set((sts.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name));
    // updateStorage: the claims' volumes first, then the template's own volumes they do not replace.
    const volumes = [
      ...claims.map((c, i) => ({
        name: sts.spec.volumeClaimTemplates![i].metadata.name,
        persistentVolumeClaim: { claimName: c.metadata.name },
      })),
      ...(template.spec.volumes ?? []).filter((v) => !claimed.has(v.name)),
    ];
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: sts.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          [POD_INDEX_LABEL]: String(ordinal),
          [REVISION_HASH_LABEL]: revision,
          [POD_NAME_LABEL]: podName,
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerReferenceTo(sts)],
      },
      spec: {
        ...template.spec,
        ...(volumes.length > 0 ? { volumes } : {}),
        hostname: podName,
        ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}),
      } as Pod['spec'],
    };
    try {
      this.ctx.server.createObject(pod);
      this.ctx.events.record(
        sts,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
        COMPONENT,
      );
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.events.record(
        sts,
        'Warning',
        'FailedCreate',
        `create Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${error.message}`,
        COMPONENT,
      );
    }
  }

  private deletePod(sts: StatefulSet, pod: Pod): void {
    this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
    this.ctx.events.record(
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
      COMPONENT,
    );
  }
}

/** The claims of one pod of the set: the templates named `<template>-<pod>`, labelled with the set's selector. */
function claimsFor(sts: StatefulSet, podName: string): PersistentVolumeClaim[] {
  return (sts.spec.volumeClaimTemplates ?? []).map((template) => {
    const tpl = template as PersistentVolumeClaim;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: `${tpl.metadata.name}-${podName}`,
        namespace: sts.metadata.namespace,
        labels: { ...(tpl.metadata.labels ?? {}), ...(sts.spec.selector?.matchLabels ?? {}) },
        ...(tpl.metadata.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
        // whenDeleted: Delete makes the set an owner, so the claims go with it (garbage collector).
        ...(sts.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete'
          ? { ownerReferences: [plainOwnerRef(sts)] }
          : {}),
      },
      spec: structuredClone(tpl.spec ?? {}),
    };
  });
}

/** setOwnerRef of the v1.30 controller: an owner that is neither the controller nor blocks deletion. */
function plainOwnerRef(owner: Pod | StatefulSet): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
  };
}
