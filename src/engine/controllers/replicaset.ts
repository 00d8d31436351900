/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods matching the template (creating them with
 * generateName `<rs>-`, deleting the least valuable first) and reports replicas/ready/available in status.
 */
import { isStatusError } from '../api/status-error';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../api/types';
import { deepEqual, sortInPlace, withStatus } from '../store/store';
import { matchesLabelSelector } from '../server/selectors';
import { WAKE, type Controller, type ControllerContext } from './context';
import {
  byCreation,
  controllerRef,
  creationMs,
  isControlledBy,
  isPodActive,
  isPodReady,
  isTerminating,
  ownerReferenceTo,
} from './owners';

const COMPONENT = { component: 'replicaset-controller' };

/** controller.ActivePods ordering: the pods to delete first sort first. */
function deletionRank(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase as string] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => p.status?.containerStatuses?.reduce((n, c) => n + c.restartCount, 0) ?? 0;
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return creationMs(b) - creationMs(a) || (a.metadata.name < b.metadata.name ? 1 : -1);
}

export class ReplicaSetController implements Controller {
  readonly watches = ['replicasets', 'pods'] as const;

  /**
   * Per ReplicaSet uid: the store revision of its last sync that wrote nothing and waited on no clock (no pod
   * short of minReadySeconds). It read only the ReplicaSets and pods of its namespace, so while none of those
   * change it would write nothing again: it is skipped.
   */
  private readonly settled = new Map<string, number>();
  /** Set by isAvailable when a pod's availability depends on the time. */
  private waiting = false;

  constructor(private readonly ctx: ControllerContext) {}

  /** At the boot image's fixpoint a sync of any ReplicaSet writes nothing and waits on no clock. */
  assumeSettled(): void {
    for (const rs of this.ctx.store.values<ReplicaSet>('replicasets'))
      this.settled.set(rs.metadata.uid ?? '', this.ctx.store.revision);
  }

  reconcile(): void {
    const { store } = this.ctx;
    for (const rs of sortInPlace(store.values<ReplicaSet>('replicasets'), byCreation)) {
      if (isTerminating(rs)) continue;
      const uid = rs.metadata.uid ?? '';
      const namespace = rs.metadata.namespace;
      const at = this.settled.get(uid);
      if (
        at !== undefined &&
        !store.changedInSince('replicasets', namespace, at) &&
        !store.changedInSince('pods', namespace, at)
      )
        continue;
      this.settled.delete(uid);
      const before = store.revision;
      this.waiting = false;
      this.sync(rs, this.claimPods(rs));
      if (!this.waiting && store.revision === before) this.settled.set(uid, before);
    }
    if (this.settled.size > store.count('replicasets')) {
      const live = new Set(store.values('replicasets').map((rs) => rs.metadata.uid));
      for (const uid of [...this.settled.keys()]) if (!live.has(uid)) this.settled.delete(uid);
    }
  }

  /**
   * ClaimPods: a pod this ReplicaSet controls whose labels no longer match its selector is released (its owner
   * reference removed, it lives on as an orphan and a replacement is made); a matching orphan is adopted.
   */
  private claimPods(rs: ReplicaSet): Pod[] {
    const owned: Pod[] = [];
    for (const pod of this.ctx.store.valuesIn<Pod>('pods', rs.metadata.namespace!)) {
      const matches = matchesLabelSelector(rs.spec.selector, pod.metadata.labels);
      if (isControlledBy(pod, rs)) {
        if (matches || isTerminating(pod)) owned.push(pod);
        else this.setOwner(pod, undefined);
      } else if (matches && !controllerRef(pod) && !isTerminating(pod) && isPodActive(pod)) {
        owned.push(this.setOwner(pod, rs));
      }
    }
    return owned;
  }

  private setOwner(pod: Pod, rs: ReplicaSet | undefined): Pod {
    const others = (pod.metadata.ownerReferences ?? []).filter((r) => !r.controller);
    const refs = rs ? [...others, ownerReferenceTo(rs)] : others;
    const { ownerReferences: _old, ...rest } = pod.metadata;
    const metadata: Pod['metadata'] = refs.length ? { ...rest, ownerReferences: refs } : rest;
    return this.ctx.server.updateObject({ ...pod, metadata }, { fromClient: false });
  }

  private sync(rs: ReplicaSet, owned: Pod[]): void {
    const active = owned.filter(isPodActive);
    const diff = active.length - (rs.spec.replicas ?? 0);
    if (diff < 0) {
      // An admission refusal (quota, priority) stops this round, as the controller's slow start does.
      for (let i = 0; i < -diff; i++) if (!this.createPod(rs)) break;
    } else if (diff > 0) {
      for (const pod of [...active].sort(deletionRank).slice(0, diff)) {
        this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
        this.ctx.events.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          COMPONENT,
        );
      }
    }
    const current = this.ctx.store
      .valuesIn<Pod>('pods', rs.metadata.namespace!)
      .filter((p) => isControlledBy(p, rs) && isPodActive(p));
    const ready = current.filter(isPodReady);
    const available = ready.filter((p) => this.isAvailable(rs, p));
    const status: ReplicaSetStatus = {
      replicas: current.length,
      fullyLabeledReplicas: current.length,
      readyReplicas: ready.length,
      availableReplicas: available.length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const)
      if (status[key] === 0) delete status[key];
    const latest = this.ctx.store.get<ReplicaSet>('replicasets', rs.metadata.namespace, rs.metadata.name)!;
    if (deepEqual(latest.status ?? {}, status)) return;
    this.ctx.server.updateObject(withStatus(latest, status), { fromClient: false });
  }

  /** Available = ready for at least minReadySeconds; a pod still short of it wakes the loop when it gets there. */
  private isAvailable(rs: ReplicaSet, pod: Pod): boolean {
    const minReady = (rs.spec.minReadySeconds ?? 0) * 1000;
    if (minReady === 0) return true;
    const since = Date.parse(
      pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '',
    );
    const at = since + minReady;
    if (at <= this.ctx.now()) return true;
    this.waiting = true;
    this.ctx.timers.replace(at, WAKE, `available/${pod.metadata.uid}`);
    return false;
  }

  private createPod(rs: ReplicaSet): boolean {
    // The stored template never changes in place: the pod shares its parts (defaulting replaces what it adds to).
    const template = rs.spec.template;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: template.metadata.labels,
        ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerReferenceTo(rs)],
      },
      spec: { ...template.spec },
    };
    let created: Pod;
    try {
      created = this.ctx.server.createObject(pod);
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, COMPONENT);
      return false;
    }
    this.ctx.events.record(
      rs,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${created.metadata.name}`,
      COMPONENT,
    );
    return true;
  }
}
