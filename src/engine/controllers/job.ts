/**
 * The Job controller (1.30, NonIndexed): keeps up to `parallelism` active pods until `completions` pods have
 * succeeded, recreates failed pods with a back-off (10 s doubling, capped at 6 min), fails the Job after more than
 * `backoffLimit` failures or past `activeDeadlineSeconds`, and writes the status kubectl prints. The
 * ttl-after-finished controller's part is here too: a finished Job with `ttlSecondsAfterFinished` is deleted then.
 */
import { isStatusError } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { Job, JobCondition, Pod } from '../api/types';
import type { JobStatus } from '../api/batch-types';
import { deepEqual, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { isControlledBy, isPodReady, isTerminating, ownerReferenceTo } from './owners';

const COMPONENT = { component: 'job-controller' };
const POD_BACKOFF_INITIAL_MS = 10_000;
const POD_BACKOFF_MAX_MS = 360_000;

const isFinishedJob = (job: Job) =>
  job.status?.conditions?.some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  ) ?? false;

function podFinishedAt(pod: Pod): number {
  let latest = 0;
  for (const s of pod.status?.containerStatuses ?? []) {
    const at = Date.parse(s.state.terminated?.finishedAt ?? '');
    if (at > latest) latest = at;
  }
  return latest || Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

export class JobController implements Controller {
  readonly watches = ['jobs', 'pods'] as const;

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    for (const job of this.ctx.store.values<Job>('jobs')) {
      if (isTerminating(job)) continue;
      if (isFinishedJob(job)) this.expire(job);
      else this.sync(job);
    }
  }

  private pods(job: Job): Pod[] {
    return this.ctx.store
      .valuesIn<Pod>('pods', job.metadata.namespace!)
      .filter((p) => isControlledBy(p, job));
  }

  private sync(job: Job): void {
    const now = this.ctx.now();
    const spec = job.spec;
    const pods = this.pods(job);
    const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    let active = pods.filter(
      (p) => !isTerminating(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    const restarts = active.reduce(
      (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, s) => m + s.restartCount, 0),
      0,
    );
    const succeeded = succeededPods.length;
    const failed = failedPods.length;
    const startTime = job.status?.startTime ?? (spec.suspend ? undefined : rfc3339(now));
    const completions = spec.completions;
    const parallelism = spec.parallelism ?? 1;
    let condition: JobCondition | undefined;
    let completionTime: string | undefined;
    const deadline = spec.activeDeadlineSeconds;
    const startMs = startTime ? Date.parse(startTime) : now;
    if (failed + restarts > (spec.backoffLimit ?? 6)) {
      condition = this.failed('BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
    } else if (deadline !== undefined && startTime && now >= startMs + deadline * 1000) {
      condition = this.failed('DeadlineExceeded', 'Job was active longer than specified deadline', now);
    } else if (completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0) {
      condition = {
        type: 'Complete',
        status: 'True',
        lastProbeTime: rfc3339(now),
        lastTransitionTime: rfc3339(now),
      };
      completionTime = rfc3339(now);
    }
    if (condition?.type === 'Failed') {
      for (const pod of active)
        this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
      active = [];
    } else if (!condition && !spec.suspend) {
      if (deadline !== undefined)
        this.ctx.timers.replace(startMs + deadline * 1000, WAKE, `job/${job.metadata.uid}`);
      const remaining = completions !== undefined ? completions - succeeded : succeeded > 0 ? 0 : parallelism;
      const want = Math.max(0, Math.min(parallelism, remaining));
      if (active.length < want) {
        const readyAt = this.backoffEnds(failedPods);
        if (readyAt > now) this.ctx.timers.replace(readyAt, WAKE, `job/${job.metadata.uid}/backoff`);
        else
          for (let i = active.length; i < want; i++) {
            const pod = this.createPod(job);
            if (!pod) break;
            active.push(pod);
          }
      } else if (active.length > want) {
        const extra = [...active].sort((a, b) => (a.spec.nodeName ? 1 : 0) - (b.spec.nodeName ? 1 : 0));
        for (const pod of extra.slice(0, active.length - want)) {
          this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
          active = active.filter((p) => p !== pod);
        }
      }
    }
    const status: JobStatus = {
      ...(condition ? { conditions: [...(job.status?.conditions ?? []), condition] } : {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      ...(active.length ? { active: active.length } : {}),
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      terminating: pods.filter(isTerminating).length,
      uncountedTerminatedPods: {},
      ready: active.filter(isPodReady).length,
    };
    if (!condition && job.status?.conditions) status.conditions = job.status.conditions;
    const latest = this.ctx.store.get<Job>('jobs', job.metadata.namespace, job.metadata.name)!;
    if (!deepEqual(latest.status ?? {}, status))
      this.ctx.server.updateObject(withStatus(latest, status), { fromClient: false });
    if (condition?.type === 'Complete')
      this.ctx.events.record(job, 'Normal', 'Completed', 'Job completed', COMPONENT);
    else if (condition)
      this.ctx.events.record(job, 'Warning', condition.reason!, condition.message!, COMPONENT);
    if (condition) this.expire(this.ctx.store.get<Job>('jobs', job.metadata.namespace, job.metadata.name)!);
  }

  private failed(reason: string, message: string, now: number): JobCondition {
    return {
      type: 'Failed',
      status: 'True',
      lastProbeTime: rfc3339(now),
      lastTransitionTime: rfc3339(now),
      reason,
      message,
    };
  }

  /** When the next replacement pod may be made: the last failure plus 10 s · 2^(failures − 1), at most 6 min. */
  private backoffEnds(failedPods: Pod[]): number {
    if (failedPods.length === 0) return 0;
    const last = Math.max(...failedPods.map(podFinishedAt));
    const delay = Math.min(POD_BACKOFF_INITIAL_MS * 2 ** (failedPods.length - 1), POD_BACKOFF_MAX_MS);
    return last + delay;
  }

  private createPod(job: Job): Pod | undefined {
    const template = job.spec.template;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${job.metadata.name}-`,
        namespace: job.metadata.namespace,
        labels: template.metadata.labels,
        ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerReferenceTo(job)],
      },
      spec: { ...template.spec },
    };
    try {
      const created = this.ctx.server.createObject(pod);
      this.ctx.events.record(
        job,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${created.metadata.name}`,
        COMPONENT,
      );
      return created;
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, COMPONENT);
      return undefined;
    }
  }

  /** ttlSecondsAfterFinished: the finished Job is deleted (its pods follow through the garbage collector). */
  private expire(job: Job): void {
    const ttl = job.spec.ttlSecondsAfterFinished;
    if (ttl === undefined) return;
    const finished = job.status?.conditions?.find(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    if (!finished) return;
    const at = Date.parse(finished.lastTransitionTime) + ttl * 1000;
    if (at > this.ctx.now()) {
      this.ctx.timers.replace(at, WAKE, `job/${job.metadata.uid}/ttl`);
      return;
    }
    this.ctx.server.deleteObject('jobs', job.metadata.namespace, job.metadata.name);
  }
}
