/** Server-side table columns of Job and CronJob (printers.go printJob, printCronJob; reference breadth §5.1, §5.4). */
import type { CronJob, Job, KubeObject } from '../../api/types';
import { ageSince, humanDuration } from '../duration';
import type { Column } from './columns';
import { formatLabelSelector } from './format';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

const hasCondition = (job: Job, type: string) =>
  job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

export function jobStatusCell(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletionsCell(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDurationCell(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

type Templated = { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
const names = (t: Templated) => t.spec.template.spec.containers.map((c) => c.name).join(',');
const images = (t: Templated) => t.spec.template.spec.containers.map((c) => c.image).join(',');

export const BATCH_COLUMNS = {
  jobs: [
    name,
    { header: 'STATUS', cell: jobStatusCell },
    { header: 'COMPLETIONS', cell: jobCompletionsCell },
    { header: 'DURATION', cell: jobDurationCell },
    age,
    { header: 'CONTAINERS', wide: true, cell: (j) => names(j) },
    { header: 'IMAGES', wide: true, cell: (j) => images(j) },
    { header: 'SELECTOR', wide: true, cell: (j) => formatLabelSelector(j.spec.selector) },
  ] as Column<Job>[],
  cronjobs: [
    name,
    { header: 'SCHEDULE', cell: (c) => c.spec.schedule },
    { header: 'TIMEZONE', cell: (c) => c.spec.timeZone || '<none>' },
    {
      header: 'SUSPEND',
      cell: (c) => (c.spec.suspend === undefined ? '<unset>' : c.spec.suspend ? 'True' : 'False'),
    },
    { header: 'ACTIVE', cell: (c) => String(c.status?.active?.length ?? 0) },
    {
      header: 'LAST SCHEDULE',
      cell: (c, now) => (c.status?.lastScheduleTime ? ageSince(c.status.lastScheduleTime, now) : '<none>'),
    },
    age,
    { header: 'CONTAINERS', wide: true, cell: (c) => names(c.spec.jobTemplate) },
    { header: 'IMAGES', wide: true, cell: (c) => images(c.spec.jobTemplate) },
    { header: 'SELECTOR', wide: true, cell: (c) => formatLabelSelector(c.spec.jobTemplate.spec.selector) },
  ] as Column<CronJob>[],
};
