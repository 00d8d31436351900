/**
 * The deployment controller (kube-controller-manager `deployment` sync), as a reconcile loop:
 * desired state = spec.template × spec.replicas; current state = the ReplicaSets it owns. It creates the new
 * ReplicaSet (pod-template-hash naming), scales new and old ones within the rolling-update fenceposts, keeps the
 * revision annotations, cleans up history and computes status and conditions exactly as `rollout status` reads them.
 */
import { rfc3339 } from '../api/time';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../api/types';
import { clone, deepEqual, sortInPlace, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import {
  byCreation,
  DESIRED_REPLICAS,
  isControlledBy,
  isTerminating,
  MAX_REPLICAS,
  ownerReferenceTo,
  REVISION,
  REVISION_HISTORY,
  revisionOf,
} from './owners';
import { computeTemplateHash, templatesEqualIgnoringHash } from './template-hash';

const COMPONENT = { component: 'deployment-controller' };

/** An int-or-percent against a total; percentages round up for surge, down for unavailable. */
function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** deployment util ResolveFenceposts: [maxSurge, maxUnavailable]; both 0 → unavailable 1. */
export function resolveFenceposts(d: Deployment): [number, number] {
  const replicas = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge, replicas, true);
  let unavailable = scaledValue(ru?.maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, Math.min(unavailable, replicas)];
}

const specReplicas = (rs: ReplicaSet) => rs.spec.replicas ?? 0;
const sum = (list: ReplicaSet[], f: (rs: ReplicaSet) => number) => list.reduce((n, rs) => n + f(rs), 0);

export class DeploymentController implements Controller {
  readonly watches = ['deployments', 'replicasets'] as const;

  /**
   * Per deployment uid: the store revision of its last sync that found the rollout complete and wrote nothing.
   * Such a sync depends only on the deployments and ReplicaSets of its namespace (not on the time), so while
   * none of those change it would find the same and write nothing again: it is skipped.
   */
  private readonly settled = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  /** At the boot image's fixpoint every rollout is complete and a sync writes nothing. */
  assumeSettled(): void {
    for (const d of this.ctx.store.values<Deployment>('deployments'))
      this.settled.set(d.metadata.uid ?? '', this.ctx.store.revision);
  }

  reconcile(): void {
    const { store } = this.ctx;
    for (const d of store.values<Deployment>('deployments')) {
      const current = store.get<Deployment>('deployments', d.metadata.namespace, d.metadata.name);
      if (!current || isTerminating(current)) continue;
      const uid = current.metadata.uid ?? '';
      const namespace = current.metadata.namespace;
      const at = this.settled.get(uid);
      if (
        at !== undefined &&
        !store.changedInSince('deployments', namespace, at) &&
        !store.changedInSince('replicasets', namespace, at)
      )
        continue;
      this.settled.delete(uid);
      const before = store.revision;
      if (this.sync(current) && store.revision === before) this.settled.set(uid, before);
    }
    if (this.settled.size > store.count('deployments')) {
      const live = new Set(store.values('deployments').map((d) => d.metadata.uid));
      for (const uid of [...this.settled.keys()]) if (!live.has(uid)) this.settled.delete(uid);
    }
  }

  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.ctx.store
      .valuesIn<ReplicaSet>('replicasets', d.metadata.namespace!)
      .filter((rs) => isControlledBy(rs, d) && !isTerminating(rs));
  }

  /** Returns whether the rollout is complete (all the way through to the status). */
  private sync(d: Deployment): boolean {
    const all = sortInPlace(this.ownedReplicaSets(d), byCreation);
    const newRs = all.find((rs) => templatesEqualIgnoringHash(rs.spec.template, d.spec.template));
    const old = all.filter((rs) => rs !== newRs);
    const maxOldRevision = Math.max(0, ...old.map(revisionOf));
    const newRevision = maxOldRevision + 1;

    // A paused deployment does not roll out; a changed replica count is spread over the active ReplicaSets first.
    if (d.spec.paused || this.isScalingEvent(d, all)) {
      if (this.scaleProportionally(d, newRs, old)) return false;
      this.syncStatus(d, newRs, all, false);
      return false;
    }
    if (!newRs) {
      this.createNewReplicaSet(d, all, newRevision);
      return false; // the store changed: the loop comes back with the new RS in place
    }
    if (this.syncRevision(d, newRs, newRevision)) return false;

    if (d.spec.strategy?.type === 'Recreate') {
      if (this.rolloutRecreate(d, newRs, old)) return false;
    } else {
      if (this.reconcileNewReplicaSet(d, all, newRs)) return false;
      if (this.reconcileOldReplicaSets(d, all, old, newRs)) return false;
    }
    const complete = this.syncStatus(d, newRs, all, true);
    if (complete) this.cleanupHistory(d, old);
    return complete;
  }

  // ---------------------------------------------------------------- new ReplicaSet and revisions

  private createNewReplicaSet(d: Deployment, all: ReplicaSet[], revision: number): void {
    const collisionCount = d.status?.collisionCount;
    const hash = computeTemplateHash(d.spec.template, collisionCount);
    const name = `${d.metadata.name}-${hash}`;
    const clash = this.ctx.store.get<ReplicaSet>('replicasets', d.metadata.namespace, name);
    if (clash) {
      // Same name, different template (or another owner): bump collisionCount so the next hash differs.
      this.ctx.server.updateObject(
        withStatus(d, { ...(d.status ?? {}), collisionCount: (collisionCount ?? 0) + 1 }),
        { fromClient: false },
      );
      return;
    }
    const [surge] = resolveFenceposts(d);
    const replicas = d.spec.replicas ?? 1;
    const template = clone(d.spec.template);
    template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          ...this.copiedAnnotations(d),
          [DESIRED_REPLICAS]: String(replicas),
          [MAX_REPLICAS]: String(replicas + surge),
          [REVISION]: String(revision),
        },
        ownerReferences: [ownerReferenceTo(d)],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...(d.spec.selector.matchLabels ?? {}), 'pod-template-hash': hash },
        },
        template,
      },
    };
    const withCandidate = [...all, rs];
    const newReplicas =
      d.spec.strategy?.type === 'Recreate' && all.some((x) => specReplicas(x) > 0)
        ? 0
        : this.newReplicaCount(d, withCandidate, rs);
    rs.spec.replicas = newReplicas;
    const created = this.ctx.server.createObject(rs);
    if (newReplicas > 0)
      this.ctx.events.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name} to ${newReplicas}`,
        COMPONENT,
      );
    const next: Deployment = {
      ...d,
      metadata: {
        ...d.metadata,
        annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: String(revision) },
      },
    };
    const updated = this.ctx.server.updateObject(next, { fromClient: false });
    const status = clone(updated.status ?? {});
    setCondition(
      status,
      condition(
        'Progressing',
        'True',
        'NewReplicaSetCreated',
        `Created new replica set "${created.metadata.name}"`,
        this.ctx.now(),
      ),
    );
    this.writeStatus(updated, status);
  }

  /** Annotations a ReplicaSet inherits from its deployment (everything but kubectl's and the revision bookkeeping). */
  private copiedAnnotations(d: Deployment): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
      if (
        k === 'kubectl.kubernetes.io/last-applied-configuration' ||
        k === REVISION ||
        k === REVISION_HISTORY
      )
        continue;
      if (k === DESIRED_REPLICAS || k === MAX_REPLICAS) continue;
      out[k] = v;
    }
    return out;
  }

  /** SetNewReplicaSetAnnotations: a reused ReplicaSet (rollback) takes the next revision and remembers its old one. */
  private syncRevision(d: Deployment, newRs: ReplicaSet, newRevision: number): boolean {
    const current = revisionOf(newRs);
    let changed = false;
    // copyDeploymentAnnotationsToReplicaSet: the deployment's annotations (a `--record` change-cause...) reach its
    // current ReplicaSet on every sync, not only when it is created.
    const copied = Object.entries(this.copiedAnnotations(d)).filter(
      ([k, v]) => newRs.metadata.annotations?.[k] !== v,
    );
    if (current < newRevision || copied.length > 0) {
      const next: ReplicaSet = {
        ...newRs,
        metadata: { ...newRs.metadata, annotations: { ...(newRs.metadata.annotations ?? {}) } },
      };
      const annotations = next.metadata.annotations!;
      for (const [k, v] of copied) annotations[k] = v;
      if (current < newRevision) {
        if (annotations[REVISION]) {
          const history = annotations[REVISION_HISTORY] ? annotations[REVISION_HISTORY].split(',') : [];
          history.push(annotations[REVISION]);
          annotations[REVISION_HISTORY] = history.join(',');
        }
        annotations[REVISION] = String(newRevision);
      }
      this.ctx.server.updateObject(next, { fromClient: false });
      changed = true;
    }
    const revision = String(Math.max(current, newRevision));
    if (d.metadata.annotations?.[REVISION] !== revision) {
      const next: Deployment = {
        ...d,
        metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: revision } },
      };
      const updated = this.ctx.server.updateObject(next, { fromClient: false });
      const found = updated.status?.conditions?.find((c) => c.type === 'Progressing');
      if (!found) {
        const status = clone(updated.status ?? {});
        setCondition(
          status,
          condition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${newRs.metadata.name}"`,
            this.ctx.now(),
          ),
        );
        this.writeStatus(updated, status);
      }
      changed = true;
    }
    return changed;
  }

  // ---------------------------------------------------------------- scaling

  /** isScalingEvent: an active ReplicaSet was sized for another spec.replicas (its desired-replicas annotation). */
  private isScalingEvent(d: Deployment, all: ReplicaSet[]): boolean {
    const replicas = String(d.spec.replicas ?? 1);
    return all.some(
      (rs) =>
        specReplicas(rs) > 0 &&
        rs.metadata.annotations?.[DESIRED_REPLICAS] !== undefined &&
        rs.metadata.annotations[DESIRED_REPLICAS] !== replicas,
    );
  }

  /**
   * The controller's scale(): with one active ReplicaSet (or none) it takes the full count; with a saturated new
   * one the old ones go to 0; otherwise the difference to replicas + maxSurge is spread in proportion to each
   * ReplicaSet's share, the leftover going to the largest. Returns whether it changed anything.
   */
  private scaleProportionally(d: Deployment, newRs: ReplicaSet | undefined, old: ReplicaSet[]): boolean {
    const replicas = d.spec.replicas ?? 1;
    const sorted = [...old].sort(byCreation);
    const candidates = newRs ? [...sorted, newRs] : sorted;
    const active = candidates.filter((rs) => specReplicas(rs) > 0);
    const single = active.length === 1 ? active[0] : active.length === 0 ? candidates.at(-1) : undefined;
    if (single) return this.scale(d, single, replicas);
    const saturated =
      newRs !== undefined &&
      specReplicas(newRs) === replicas &&
      newRs.metadata.annotations?.[DESIRED_REPLICAS] === String(replicas) &&
      (newRs.status?.availableReplicas ?? 0) === replicas;
    if (saturated) {
      let changed = false;
      for (const rs of old) if (specReplicas(rs) > 0) changed = this.scale(d, rs, 0) || changed;
      return changed;
    }
    if (d.spec.strategy?.type === 'Recreate') return false;
    const [surge] = resolveFenceposts(d);
    const allowed = replicas > 0 ? replicas + surge : 0;
    const toAdd = allowed - sum(active, specReplicas);
    const bySize = [...active].sort(
      (a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)),
    );
    const sizes = new Map<ReplicaSet, number>();
    let added = 0;
    for (const rs of bySize) {
      let proportion = 0;
      if (toAdd !== 0 && specReplicas(rs) > 0 && toAdd !== added) {
        const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status?.replicas ?? 0) || 1;
        const fraction =
          replicas === 0
            ? -specReplicas(rs)
            : Math.round((specReplicas(rs) * allowed) / annotated) - specReplicas(rs);
        proportion = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
      }
      sizes.set(rs, specReplicas(rs) + proportion);
      added += proportion;
    }
    let changed = false;
    bySize.forEach((rs, i) => {
      let size = sizes.get(rs)!;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      changed = this.scale(d, rs, size) || changed;
    });
    return changed;
  }

  /** NewRSNewReplicas for RollingUpdate: grow the new RS as far as maxSurge allows. */
  private newReplicaCount(d: Deployment, all: ReplicaSet[], newRs: ReplicaSet): number {
    const replicas = d.spec.replicas ?? 1;
    const [surge] = resolveFenceposts(d);
    const current = sum(all, specReplicas);
    const maxTotal = replicas + surge;
    if (current >= maxTotal) return specReplicas(newRs);
    const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRs));
    return specReplicas(newRs) + Math.max(0, scaleUp);
  }

  private reconcileNewReplicaSet(d: Deployment, all: ReplicaSet[], newRs: ReplicaSet): boolean {
    const replicas = d.spec.replicas ?? 1;
    if (specReplicas(newRs) === replicas) return this.syncReplicaAnnotations(d, newRs);
    if (specReplicas(newRs) > replicas) return this.scale(d, newRs, replicas);
    return this.scale(d, newRs, this.newReplicaCount(d, all, newRs));
  }

  private reconcileOldReplicaSets(
    d: Deployment,
    all: ReplicaSet[],
    old: ReplicaSet[],
    newRs: ReplicaSet,
  ): boolean {
    if (sum(old, specReplicas) === 0) return false;
    const replicas = d.spec.replicas ?? 1;
    const [, maxUnavailable] = resolveFenceposts(d);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = specReplicas(newRs) - (newRs.status?.availableReplicas ?? 0);
    let maxScaledDown = sum(all, specReplicas) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    let scaled = false;
    // cleanupUnhealthyReplicas: old pods that are not available go first, they cost no availability.
    for (const rs of [...old].sort(byCreation)) {
      if (maxScaledDown <= 0) break;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown, unhealthy);
      scaled = this.scale(d, rs, specReplicas(rs) - down) || scaled;
      maxScaledDown -= down;
    }
    if (scaled) return true;
    // scaleDownOldReplicaSetsForRollingUpdate: keep at least minAvailable pods available.
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    if (available <= minAvailable) return false;
    let budget = available - minAvailable;
    for (const rs of [...old].sort(byCreation)) {
      if (budget <= 0) break;
      if (specReplicas(rs) === 0) continue;
      const down = Math.min(specReplicas(rs), budget);
      scaled = this.scale(d, rs, specReplicas(rs) - down) || scaled;
      budget -= down;
    }
    return scaled;
  }

  private rolloutRecreate(d: Deployment, newRs: ReplicaSet, old: ReplicaSet[]): boolean {
    let scaled = false;
    for (const rs of old) if (specReplicas(rs) > 0) scaled = this.scale(d, rs, 0) || scaled;
    if (scaled) return true;
    const oldPodsRunning = old.some((rs) => (rs.status?.replicas ?? 0) > 0);
    if (oldPodsRunning) return false;
    return this.scale(d, newRs, d.spec.replicas ?? 1);
  }

  private syncReplicaAnnotations(d: Deployment, rs: ReplicaSet): boolean {
    return this.scale(d, rs, specReplicas(rs));
  }

  /** scaleReplicaSet: writes replicas plus the desired/max annotations, and the ScalingReplicaSet event. */
  private scale(d: Deployment, rs: ReplicaSet, replicas: number): boolean {
    const [surge] = resolveFenceposts(d);
    const desired = String(d.spec.replicas ?? 1);
    const max = String((d.spec.replicas ?? 1) + surge);
    const from = specReplicas(rs);
    const annotations = rs.metadata.annotations ?? {};
    if (from === replicas && annotations[DESIRED_REPLICAS] === desired && annotations[MAX_REPLICAS] === max)
      return false;
    const next: ReplicaSet = {
      ...rs,
      metadata: {
        ...rs.metadata,
        annotations: { ...annotations, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max },
      },
      spec: { ...rs.spec, replicas },
    };
    this.ctx.server.updateObject(next, { fromClient: false });
    if (from !== replicas) {
      const direction = replicas > from ? 'up' : 'down';
      this.ctx.events.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${direction} replica set ${rs.metadata.name} to ${replicas} from ${from}`,
        COMPONENT,
      );
    }
    return true;
  }

  /** cleanupDeployment: keep at most revisionHistoryLimit old ReplicaSets, deleting the oldest empty ones. */
  private cleanupHistory(d: Deployment, old: ReplicaSet[]): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const excess = old.length - limit;
    if (excess <= 0) return;
    const candidates = [...old].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    let removed = 0;
    for (const rs of candidates) {
      if (removed >= excess) break;
      if (specReplicas(rs) !== 0 || (rs.status?.replicas ?? 0) !== 0) continue;
      this.ctx.server.deleteObject('replicasets', rs.metadata.namespace, rs.metadata.name);
      removed++;
    }
  }

  // ---------------------------------------------------------------- status

  /** calculateStatus + syncRolloutStatus. Returns whether the rollout is complete. */
  private syncStatus(
    d: Deployment,
    newRs: ReplicaSet | undefined,
    all: ReplicaSet[],
    rolling: boolean,
  ): boolean {
    const now = this.ctx.now();
    const replicas = d.spec.replicas ?? 1;
    const [, maxUnavailable] = resolveFenceposts(d);
    const prev = d.status ?? {};
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    const total = sum(all, specReplicas);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
      updatedReplicas: newRs?.status?.replicas ?? 0,
      readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      conditions: [...(prev.conditions ?? [])],
      ...(prev.collisionCount !== undefined ? { collisionCount: prev.collisionCount } : {}),
    };
    if (available >= replicas - maxUnavailable)
      setCondition(
        status,
        condition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          now,
        ),
      );
    else
      setCondition(
        status,
        condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          now,
        ),
      );

    const complete =
      newRs !== undefined &&
      status.replicas === replicas &&
      status.updatedReplicas === replicas &&
      status.availableReplicas === replicas &&
      (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
    if (d.spec.paused) {
      setCondition(
        status,
        condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now),
      );
    } else if (rolling && newRs) {
      const progressing = status.conditions!.find((c) => c.type === 'Progressing');
      const name = newRs.metadata.name;
      if (progressing?.reason === 'DeploymentPaused') removeCondition(status, 'Progressing');
      if (complete) {
        setCondition(
          status,
          condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${name}" has successfully progressed.`,
            now,
          ),
        );
      } else if (madeProgress(prev, status)) {
        const next = condition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `ReplicaSet "${name}" is progressing.`,
          now,
        );
        if (progressing?.status === 'True') next.lastTransitionTime = progressing.lastTransitionTime;
        removeCondition(status, 'Progressing');
        setCondition(status, next);
      } else if (progressing && this.timedOut(d, progressing, now)) {
        setCondition(
          status,
          condition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `ReplicaSet "${name}" has timed out progressing.`,
            now,
          ),
        );
      }
      // One wake-up at the progress deadline while the rollout runs; none once it is complete or failed.
      const wake = `deployment/${d.metadata.namespace}/${d.metadata.name}`;
      const after = status.conditions!.find((c) => c.type === 'Progressing');
      const deadline = after
        ? Date.parse(after.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000
        : NaN;
      // A deadline already past that did not time out (a complete rollout that lost a pod keeps its
      // NewReplicaSetAvailable reason) never will: waking for it at once would wake again forever.
      if (!complete && after && after.reason !== 'ProgressDeadlineExceeded' && deadline + 1000 > now) {
        this.ctx.timers.replace(deadline + 1000, WAKE, wake);
      } else {
        this.ctx.timers.cancel(WAKE, wake);
      }
    }
    stripZeros(status);
    this.writeStatus(d, status);
    return complete;
  }

  private timedOut(d: Deployment, progressing: DeploymentCondition, now: number): boolean {
    if (progressing.reason === 'ProgressDeadlineExceeded') return true;
    if (progressing.reason === 'NewReplicaSetAvailable') return false;
    const deadline = Date.parse(progressing.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    return now > deadline;
  }

  private writeStatus(d: Deployment, status: DeploymentStatus): void {
    if (deepEqual(d.status ?? {}, status)) return;
    this.ctx.server.updateObject(withStatus(d, status), { fromClient: false });
  }
}

function condition(
  type: DeploymentCondition['type'],
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: number,
): DeploymentCondition {
  const stamp = rfc3339(now);
  return { type, status, lastUpdateTime: stamp, lastTransitionTime: stamp, reason, message };
}

/** SetDeploymentCondition: same status and reason → unchanged; otherwise replace, keeping the transition time
 *  when the status did not change, and append at the end (which is why Available comes before Progressing). */
function setCondition(status: DeploymentStatus, next: DeploymentCondition): void {
  const conditions = status.conditions ?? [];
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason) return;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...conditions.filter((c) => c.type !== next.type), next];
}

function removeCondition(status: DeploymentStatus, type: DeploymentCondition['type']): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

/** util.DeploymentProgressing: more updated/ready/available pods, or fewer old ones, than last observed. */
function madeProgress(prev: DeploymentStatus, next: DeploymentStatus): boolean {
  const oldOld = (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (prev.availableReplicas ?? 0)
  );
}

/** The API omits zero-valued counters (omitempty). */
function stripZeros(status: DeploymentStatus): void {
  for (const key of [
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ] as const)
    if (status[key] === 0) delete status[key];
}
