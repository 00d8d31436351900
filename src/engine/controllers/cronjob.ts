/**
 * The CronJob controller (v2): at each schedule time (in spec.timeZone, else UTC, on the virtual clock) it creates the Job
 * `<cronjob>-<minutes since the epoch>` from the job template, honouring suspend and the concurrency policy; it
 * notices finished Jobs (SawCompletedJob), records lastScheduleTime/lastSuccessfulTime and the active list, and
 * prunes finished Jobs beyond the history limits.
 */
import { isStatusError } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { CronJob, Job } from '../api/types';
import type { CronJobStatus } from '../api/batch-types';
import { deepEqual, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { nextCronTime, parseCron } from './cron';
import { byCreation, isControlledBy, isTerminating, ownerReferenceTo } from './owners';

const COMPONENT = { component: 'cronjob-controller' };
const SCHEDULED_AT = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The controller requeues a little after the schedule time (its 100 ms slack plus the queue's latency). */
const SLACK_MS = 100;

function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c?.type as 'Complete' | 'Failed' | undefined;
}

export class CronJobController implements Controller {
  readonly watches = ['cronjobs', 'jobs'] as const;
  /** Finished jobs already reported, by uid (bounded: only jobs that still exist are kept). */
  private seen = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const live = new Set<string>();
    for (const cj of this.ctx.store.values<CronJob>('cronjobs')) {
      if (isTerminating(cj)) continue;
      this.sync(cj, live);
    }
    for (const uid of [...this.seen]) if (!live.has(uid)) this.seen.delete(uid);
  }

  private sync(cj: CronJob, live: Set<string>): void {
    const now = this.ctx.now();
    const ns = cj.metadata.namespace!;
    let jobs = this.ctx.store.valuesIn<Job>('jobs', ns).filter((j) => isControlledBy(j, cj));
    let lastSuccessfulTime = cj.status?.lastSuccessfulTime;
    for (const job of jobs) {
      live.add(job.metadata.uid!);
      const finished = finishedCondition(job);
      if (!finished || this.seen.has(job.metadata.uid!)) continue;
      this.seen.add(job.metadata.uid!);
      // Jobs that finished before a restore were reported already: only report what finished just now.
      const at =
        job.status?.completionTime ??
        job.status?.conditions?.find((c) => c.type === finished)?.lastTransitionTime;
      if (at && Date.parse(at) < now - 60_000) continue;
      this.ctx.events.record(
        cj,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${job.metadata.name}, condition: ${finished}`,
        COMPONENT,
      );
      if (finished === 'Complete' && job.status?.completionTime) {
        if (!lastSuccessfulTime || job.status.completionTime > lastSuccessfulTime)
          lastSuccessfulTime = job.status.completionTime;
      }
    }
    jobs = this.prune(cj, jobs);
    let lastScheduleTime = cj.status?.lastScheduleTime;
    const schedule = parseCron(cj.spec.schedule);
    // The controller reads `TZ=<spec.timeZone> <schedule>` (formatSchedule); without a zone, the node's UTC.
    const zone = cj.spec.timeZone || undefined;
    if (!('error' in schedule)) {
      const from = lastScheduleTime
        ? Date.parse(lastScheduleTime)
        : Date.parse(cj.metadata.creationTimestamp ?? '') || now;
      // The most recent missed time only (the controller never runs a backlog).
      let due: number | undefined;
      for (
        let t = nextCronTime(schedule, from, zone ?? schedule.location), n = 0;
        t !== undefined && t <= now && n < 1000;
        n++
      ) {
        due = t;
        t = nextCronTime(schedule, t, zone ?? schedule.location);
      }
      const deadline = cj.spec.startingDeadlineSeconds;
      if (due !== undefined && !cj.spec.suspend && !(deadline !== undefined && due + deadline * 1000 < now)) {
        const created = this.run(cj, jobs, due);
        if (created !== false) lastScheduleTime = rfc3339(due);
        if (created) jobs = [...jobs, created];
      }
      const next = nextCronTime(schedule, Math.max(now, due ?? 0), zone ?? schedule.location);
      if (next !== undefined && !cj.spec.suspend)
        this.ctx.timers.replace(next + SLACK_MS, WAKE, `cronjob/${cj.metadata.uid}`);
    }
    const active = jobs
      .filter((j) => !finishedCondition(j) && !isTerminating(j))
      .map((j) => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: j.metadata.name,
        namespace: ns,
        resourceVersion: j.metadata.resourceVersion,
        uid: j.metadata.uid!,
      }));
    const status: CronJobStatus = {
      ...(active.length ? { active } : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}),
    };
    const latest = this.ctx.store.get<CronJob>('cronjobs', ns, cj.metadata.name)!;
    if (!deepEqual(latest.status ?? {}, status))
      this.ctx.server.updateObject(withStatus(latest, status), { fromClient: false });
  }

  /** Creates the Job for schedule time `at`; false when the concurrency policy skips it. */
  private run(cj: CronJob, jobs: Job[], at: number): Job | undefined | false {
    const ns = cj.metadata.namespace!;
    const name = `${cj.metadata.name}-${Math.floor(at / 60_000)}`;
    if (this.ctx.store.get<Job>('jobs', ns, name)) return undefined;
    const running = jobs.filter((j) => !finishedCondition(j) && !isTerminating(j));
    if (running.length > 0 && cj.spec.concurrencyPolicy === 'Forbid') return false;
    if (running.length > 0 && cj.spec.concurrencyPolicy === 'Replace')
      for (const j of running) {
        this.ctx.server.deleteObject('jobs', ns, j.metadata.name);
        this.ctx.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, COMPONENT);
      }
    const template = cj.spec.jobTemplate;
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: ns,
        ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
        annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_AT]: rfc3339(at) },
        ownerReferences: [ownerReferenceTo(cj)],
      },
      spec: structuredClone(template.spec),
    };
    try {
      const created = this.ctx.server.createObject(job);
      this.ctx.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, COMPONENT);
      return created;
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.events.record(
        cj,
        'Warning',
        'FailedCreate',
        `Error creating job: ${error.message}`,
        COMPONENT,
      );
      return undefined;
    }
  }

  /** Keeps the newest successfulJobsHistoryLimit complete and failedJobsHistoryLimit failed Jobs. */
  private prune(cj: CronJob, jobs: Job[]): Job[] {
    let kept = jobs;
    for (const [type, limit] of [
      ['Complete', cj.spec.successfulJobsHistoryLimit ?? 3],
      ['Failed', cj.spec.failedJobsHistoryLimit ?? 1],
    ] as const) {
      const done = jobs.filter((j) => finishedCondition(j) === type && !isTerminating(j)).sort(byCreation);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        this.ctx.server.deleteObject('jobs', j.metadata.namespace, j.metadata.name);
        this.ctx.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, COMPONENT);
        kept = kept.filter((x) => x !== j);
      }
    }
    return kept;
  }
}
