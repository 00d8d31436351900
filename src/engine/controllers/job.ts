/**
 * The Job controller (1.30): keeps up to `parallelism` active pods until `completions` pods have succeeded
 * (Indexed: one per completion index, job-indexes.ts), recreates failed pods with a back-off (10 s doubling, capped
 * at 6 min), applies the podFailurePolicy (pod-failure-policy.ts), fails the Job after more than `backoffLimit`
 * failures (or per index, backoffLimitPerIndex) or past `activeDeadlineSeconds`, and writes the status kubectl
 * prints. The
 * ttl-after-finished controller's part is here too: a finished Job with `ttlSecondsAfterFinished` is deleted then.
 */
import { isStatusError } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { Job, JobCondition, Pod } from '../api/types';
import type { JobStatus } from '../api/batch-types';
import type { Container } from '../api/types';
import { deepEqual, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { COMPLETION_INDEX, formatIndexes, INDEX_FAILURE_COUNT, indexOf, parseIndexes } from './job-indexes';
import { isControlledBy, isPodReady, isTerminating, ownerReferenceTo } from './owners';
import { podFailureVerdict, type FailureVerdict } from './pod-failure-policy';
import { SettledSyncs } from './settled';

const COMPONENT = { component: 'job-controller' };
const POD_BACKOFF_INITIAL_MS = 10_000;
const POD_BACKOFF_MAX_MS = 360_000;

interface IndexState {
  completed: Set<number>;
  failed: Set<number>;
}

const INDEX_ENV = {
  name: 'JOB_COMPLETION_INDEX',
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
};

function withIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === INDEX_ENV.name)) return c;
  return { ...c, env: [...(c.env ?? []), structuredClone(INDEX_ENV)] };
}

/** Longest generateName the API server keeps whole (names.MaxGeneratedNameLength: 63 less 5 random characters). */
const MAX_GENERATED_NAME_LENGTH = 58;

/** podGenerateNameWithIndex: a long Job name is cut so that the `-<index>-` part always survives. */
function indexedGenerateName(job: Job, index: string): string {
  const suffix = `-${index}-`;
  const prefix = job.metadata.name + suffix;
  if (prefix.length <= MAX_GENERATED_NAME_LENGTH) return prefix;
  return job.metadata.name.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix;
}

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

  /**
   * An unfinished Job's sync reads only its namespace's Jobs and pods, and the time only for conditions that a WAKE
   * timer announces (deadline, back-off): one that wrote nothing is skipped until those change or a forced pass.
   */
  private readonly settled: SettledSyncs;

  constructor(private readonly ctx: ControllerContext) {
    this.settled = new SettledSyncs(ctx.store, ['jobs', 'pods']);
  }

  reconcile(forced?: boolean): void {
    if (forced) this.settled.clear();
    for (const job of this.ctx.store.values<Job>('jobs')) {
      if (isTerminating(job)) continue;
      if (isFinishedJob(job)) this.expire(job);
      else
        this.settled.run(job.metadata.uid ?? '', job.metadata.namespace, () => {
          this.sync(job);
          return true;
        });
    }
    this.settled.prune('jobs');
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
    // podFailurePolicy: ignored failures count neither in status.failed nor towards any back-off limit.
    const verdicts = new Map(failedPods.map((p) => [p, podFailureVerdict(spec.podFailurePolicy, p)]));
    const countedFailures = failedPods.filter((p) => verdicts.get(p)!.action !== 'Ignore');
    const failJob = [...verdicts.values()].find((v) => v.action === 'FailJob');
    const indexes = this.indexes(job, succeededPods, countedFailures, verdicts);
    const succeeded = indexes ? indexes.completed.size : succeededPods.length;
    const failed = countedFailures.length;
    const startTime = job.status?.startTime ?? (spec.suspend ? undefined : rfc3339(now));
    const completions = spec.completions;
    const conditions: JobCondition[] = [];
    let completionTime: string | undefined;
    const deadline = spec.activeDeadlineSeconds;
    const startMs = startTime ? Date.parse(startTime) : now;
    if (failJob) {
      // The v1.30 controller records FailureTarget first, then Failed with the same reason and message.
      conditions.push(
        { ...this.failed('PodFailurePolicy', failJob.message!, now), type: 'FailureTarget' },
        this.failed('PodFailurePolicy', failJob.message!, now),
      );
    } else if (failed + restarts > (spec.backoffLimit ?? 6)) {
      conditions.push(
        this.failed('BackoffLimitExceeded', 'Job has reached the specified backoff limit', now),
      );
    } else if (deadline !== undefined && startTime && now >= startMs + deadline * 1000) {
      conditions.push(this.failed('DeadlineExceeded', 'Job was active longer than specified deadline', now));
    } else if (
      indexes &&
      spec.maxFailedIndexes !== undefined &&
      indexes.failed.size > spec.maxFailedIndexes
    ) {
      conditions.push(
        this.failed(
          'MaxFailedIndexesExceeded',
          'Job has exceeded the specified maximal number of failed indexes',
          now,
        ),
      );
    } else if (
      indexes &&
      indexes.failed.size > 0 &&
      indexes.completed.size + indexes.failed.size >= completions!
    ) {
      conditions.push(this.failed('FailedIndexes', 'Job has failed indexes', now));
    } else if (completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0) {
      conditions.push({
        type: 'Complete',
        status: 'True',
        lastProbeTime: rfc3339(now),
        lastTransitionTime: rfc3339(now),
      });
      completionTime = rfc3339(now);
    }
    const condition = conditions[conditions.length - 1];
    if (condition?.type === 'Failed') {
      for (const pod of active) this.deletePod(job, pod);
      active = [];
    } else if (!condition && !spec.suspend) {
      if (deadline !== undefined)
        this.ctx.timers.replace(startMs + deadline * 1000, WAKE, `job/${job.metadata.uid}`);
      // Every failure delays the next pod (the back-off record counts ignored ones too).
      if (indexes) active = this.manageIndexed(job, active, indexes, failedPods, countedFailures, now);
      else active = this.manage(job, active, succeeded, failedPods, now);
    }
    const status: JobStatus = {
      ...(conditions.length ? { conditions: [...(job.status?.conditions ?? []), ...conditions] } : {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      ...(active.length ? { active: active.length } : {}),
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      terminating: pods.filter(isTerminating).length,
      ...(indexes?.completed.size ? { completedIndexes: formatIndexes(indexes.completed) } : {}),
      ...(indexes?.failed.size ? { failedIndexes: formatIndexes(indexes.failed) } : {}),
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

  /** NonIndexed: up to `parallelism` pods while completions remain, replacements after the back-off. */
  private manage(job: Job, active: Pod[], succeeded: number, failures: Pod[], now: number): Pod[] {
    const { completions } = job.spec;
    const parallelism = job.spec.parallelism ?? 1;
    const remaining = completions !== undefined ? completions - succeeded : succeeded > 0 ? 0 : parallelism;
    const want = Math.max(0, Math.min(parallelism, remaining));
    if (active.length < want) {
      const readyAt = this.backoffEnds(failures);
      if (readyAt > now) this.ctx.timers.replace(readyAt, WAKE, `job/${job.metadata.uid}/backoff`);
      else
        for (let i = active.length; i < want; i++) {
          const pod = this.createPod(job);
          if (!pod) break;
          active = [...active, pod];
        }
    } else if (active.length > want) active = this.removeExtra(job, active, active.length - want);
    return active;
  }

  /**
   * Indexed: one pod per pending index, lowest first, up to `parallelism`; an index whose pods failed waits out
   * its back-off (per index with backoffLimitPerIndex, else the Job's); pods of a failed index are removed.
   */
  private manageIndexed(
    job: Job,
    active: Pod[],
    indexes: IndexState,
    failures: Pod[],
    counted: Pod[],
    now: number,
  ): Pod[] {
    const completions = job.spec.completions ?? 0;
    const parallelism = job.spec.parallelism ?? 1;
    for (const pod of active) {
      const index = indexOf(pod, completions);
      if (index === undefined || indexes.failed.has(index) || indexes.completed.has(index)) {
        this.deletePod(job, pod);
        active = active.filter((p) => p !== pod);
      }
    }
    const running = new Set(active.map((p) => indexOf(p, completions)));
    const perIndex = job.spec.backoffLimitPerIndex !== undefined;
    const jobReadyAt = perIndex ? 0 : this.backoffEnds(failures);
    let wake = Infinity;
    for (let index = 0; index < completions && active.length < parallelism; index++) {
      if (running.has(index) || indexes.completed.has(index) || indexes.failed.has(index)) continue;
      const readyAt = perIndex
        ? this.backoffEnds(failures.filter((p) => indexOf(p, completions) === index))
        : jobReadyAt;
      if (readyAt > now) {
        wake = Math.min(wake, readyAt);
        continue;
      }
      const failuresOfIndex = counted.filter((p) => indexOf(p, completions) === index).length;
      const pod = this.createPod(job, index, perIndex ? failuresOfIndex : undefined);
      if (!pod) break;
      active = [...active, pod];
    }
    if (wake !== Infinity) this.ctx.timers.replace(wake, WAKE, `job/${job.metadata.uid}/backoff`);
    if (active.length > parallelism) active = this.removeExtra(job, active, active.length - parallelism);
    return active;
  }

  /** Scale-down: unscheduled pods go first. */
  private removeExtra(job: Job, active: Pod[], count: number): Pod[] {
    const extra = [...active].sort((a, b) => (a.spec.nodeName ? 1 : 0) - (b.spec.nodeName ? 1 : 0));
    const removed = new Set(extra.slice(0, count));
    for (const pod of removed) this.deletePod(job, pod);
    return active.filter((p) => !removed.has(p));
  }

  /** The controller's PodControl.DeletePod: the deletion, then its SuccessfulDelete event on the Job. */
  private deletePod(job: Job, pod: Pod): void {
    this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
    this.ctx.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
  }

  /**
   * An Indexed Job's succeeded and failed indexes: those already in its status plus what its pods show now. With
   * backoffLimitPerIndex an index fails after more than that many counted failures, or at once on FailIndex.
   */
  private indexes(
    job: Job,
    succeededPods: Pod[],
    failures: Pod[],
    verdicts: Map<Pod, FailureVerdict>,
  ): IndexState | undefined {
    const { completionMode, completions, backoffLimitPerIndex } = job.spec;
    if (completionMode !== 'Indexed' || completions === undefined) return undefined;
    const completed = parseIndexes(job.status?.completedIndexes, completions);
    for (const pod of succeededPods) {
      const index = indexOf(pod, completions);
      if (index !== undefined) completed.add(index);
    }
    const failed = parseIndexes(job.status?.failedIndexes, completions);
    if (backoffLimitPerIndex !== undefined) {
      const counts = new Map<number, number>();
      for (const pod of failures) {
        const index = indexOf(pod, completions);
        if (index === undefined || completed.has(index)) continue;
        counts.set(index, (counts.get(index) ?? 0) + 1);
        if (verdicts.get(pod)?.action === 'FailIndex' || counts.get(index)! > backoffLimitPerIndex)
          failed.add(index);
      }
    }
    return { completed, failed };
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

  private createPod(job: Job, index?: number, failureCount?: number): Pod | undefined {
    const template = job.spec.template;
    const indexed = index === undefined ? undefined : String(index);
    const annotations = {
      ...(template.metadata.annotations ?? {}),
      ...(indexed !== undefined ? { [COMPLETION_INDEX]: indexed } : {}),
      ...(failureCount !== undefined ? { [INDEX_FAILURE_COUNT]: String(failureCount) } : {}),
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: indexed === undefined ? `${job.metadata.name}-` : indexedGenerateName(job, indexed),
        namespace: job.metadata.namespace,
        labels:
          indexed === undefined
            ? template.metadata.labels
            : { ...(template.metadata.labels ?? {}), [COMPLETION_INDEX]: indexed },
        ...(Object.keys(annotations).length ? { annotations } : {}),
        ownerReferences: [ownerReferenceTo(job)],
      },
      spec:
        indexed === undefined
          ? { ...template.spec }
          : {
              ...template.spec,
              // Each index gets a stable hostname and the JOB_COMPLETION_INDEX variable (from the annotation).
              hostname: `${job.metadata.name}-${indexed}`,
              containers: template.spec.containers.map(withIndexEnv),
              ...(template.spec.initContainers
                ? { initContainers: template.spec.initContainers.map(withIndexEnv) }
                : {}),
            },
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
