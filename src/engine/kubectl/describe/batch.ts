/** `kubectl describe job` and `kubectl describe cronjob` (describe.go describeJob, describeCronJob). */
import type { CronJob, Job, KubeEvent } from '../../api/types';
import { humanDuration } from '../duration';
import { formatLabelSelector, rfc1123z } from '../printers/format';
import { controllerOf, DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';
import { writePodTemplate } from './pod';

export function describeJob(job: Job, events: KubeEvent[] | undefined, now: number): DescribeWriter {
  const w = new DescribeWriter();
  const spec = job.spec;
  const status = job.status ?? {};
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  writeLabels(w, 'Labels', job.metadata.labels);
  writeAnnotations(w, 'Annotations', job.metadata.annotations);
  const controller = controllerOf(job);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined)
    w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  if (status.completionTime) w.write(0, `Completed At:\t${rfc1123z(status.completionTime)}\n`);
  if (status.startTime && status.completionTime)
    w.write(
      0,
      `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`,
    );
  if (spec.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = status.ready === undefined ? '' : ` (${status.ready} Ready)`;
  w.write(
    0,
    `Pods Statuses:\t${status.active ?? 0} Active${ready} / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed\n`,
  );
  if (spec.completionMode === 'Indexed')
    w.write(0, `Completed Indexes:\t${capIndexes(status.completedIndexes, 50)}\n`);
  writePodTemplate(w, spec.template);
  if (events) writeEvents(w, events, now);
  return w;
}

/** capIndexesListOrNone: the list cut after the first comma at or past `softLimit` characters. */
function capIndexes(indexes: string | undefined, softLimit: number): string {
  if (!indexes) return '<none>';
  const comma = indexes.indexOf(',', softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

export function describeCronJob(cj: CronJob, events: KubeEvent[] | undefined, now: number): DescribeWriter {
  const w = new DescribeWriter();
  const spec = cj.spec;
  const bool = (v: boolean | undefined) => (v === undefined ? '<unset>' : v ? 'True' : 'False');
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', cj.metadata.labels);
  writeAnnotations(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${bool(spec.suspend)}\n`);
  w.write(0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(
    0,
    `Starting Deadline Seconds:\t${spec.startingDeadlineSeconds === undefined ? '<unset>' : `${spec.startingDeadlineSeconds}s`}\n`,
  );
  const job = spec.jobTemplate.spec;
  w.write(0, `Selector:\t${job.selector ? formatLabelSelector(job.selector) : '<unset>'}\n`);
  w.write(0, `Parallelism:\t${job.parallelism ?? '<unset>'}\n`);
  w.write(0, `Completions:\t${job.completions ?? '<unset>'}\n`);
  if (job.activeDeadlineSeconds !== undefined)
    w.write(0, `Active Deadline Seconds:\t${job.activeDeadlineSeconds}s\n`);
  writePodTemplate(w, job.template);
  const last = cj.status?.lastScheduleTime;
  w.write(0, `Last Schedule Time:\t${last ? rfc1123z(last) : '<unset>'}\n`);
  const active = cj.status?.active ?? [];
  w.write(0, `Active Jobs:\t${active.length ? active.map((j) => j.name).join(', ') : '<none>'}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}
