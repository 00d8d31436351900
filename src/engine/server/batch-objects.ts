/**
 * Job and CronJob on the API server (issue 14): defaults (SetDefaults_Job, SetDefaults_CronJob), the Job's
 * generated selector and labels (PrepareForCreate, once the uid is known) and validation.
 */
import type { StatusCause } from '../api/status-error';
import type { Container, CronJob, Job, KubeObject, PodTemplateSpec } from '../api/types';
import { parseCron } from '../controllers/cron';
import { defaultPodSpec } from './defaults';
import { invalidValue, required, unsupported } from './validation';

function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (!template || typeof template !== 'object') return;
  template.metadata ??= {};
  if (template.metadata.creationTimestamp !== null) template.metadata.creationTimestamp = null;
  template.spec ??= { containers: [] };
  defaultPodSpec(template.spec);
}

export function defaultBatchObject(obj: KubeObject): void {
  if (obj.kind === 'Job') {
    const job = obj as Job;
    job.spec ??= {} as Job['spec'];
    const spec = job.spec;
    if (spec.completions === undefined && spec.parallelism === undefined) {
      spec.completions = 1;
      spec.parallelism = 1;
    }
    spec.parallelism ??= 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= 'TerminatingOrFailed';
    spec.manualSelector ??= undefined;
    if (spec.manualSelector === undefined) delete spec.manualSelector;
    defaultTemplate(spec.template);
    const templateLabels = spec.template?.metadata?.labels;
    if (
      Object.keys(job.metadata.labels ?? {}).length === 0 &&
      templateLabels &&
      Object.keys(templateLabels).length
    )
      job.metadata.labels = { ...templateLabels };
  } else if (obj.kind === 'CronJob') {
    const cj = obj as CronJob;
    cj.spec ??= {} as CronJob['spec'];
    const spec = cj.spec;
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    spec.jobTemplate ??= { spec: {} as Job['spec'] };
    const meta = (spec.jobTemplate.metadata ??= { creationTimestamp: null });
    if (meta.creationTimestamp !== null) meta.creationTimestamp = null;
    spec.jobTemplate.spec ??= {} as Job['spec'];
    defaultTemplate(spec.jobTemplate.spec.template);
  }
}

/** The Job's selector on its own uid and the four labels on its pod template (and on the Job, if it has none). */
export function labelJob(job: Job): void {
  if (job.kind !== 'Job' || job.spec?.manualSelector || !job.spec?.template) return;
  const uid = job.metadata.uid!;
  const name = job.metadata.name;
  const generated = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const template = job.spec.template;
  template.metadata = { ...template.metadata, labels: { ...(template.metadata.labels ?? {}), ...generated } };
  job.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  if (Object.keys(job.metadata.labels ?? {}).length === 0)
    job.metadata.labels = { ...template.metadata.labels };
}

function validateJobTemplate(path: string, template: PodTemplateSpec | undefined): StatusCause[] {
  if (!template || !template.spec) return [required(`${path}.spec.containers`)];
  const causes: StatusCause[] = [];
  const containers: Container[] | undefined = template.spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) causes.push(required(`${path}.spec.containers`));
  const policy = template.spec.restartPolicy ?? 'Always';
  if (policy !== 'OnFailure' && policy !== 'Never')
    causes.push(unsupported(`${path}.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  return causes;
}

function nonNegative(causes: StatusCause[], field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    causes.push(invalidValue(field, value as number, 'must be greater than or equal to 0'));
}

export function validateBatchObject(obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (obj.kind === 'Job') {
    const spec = (obj as Job).spec;
    if (!spec || typeof spec !== 'object') return [required('spec.template.spec.containers')];
    nonNegative(causes, 'spec.parallelism', spec.parallelism);
    nonNegative(causes, 'spec.completions', spec.completions);
    nonNegative(causes, 'spec.backoffLimit', spec.backoffLimit);
    nonNegative(causes, 'spec.ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished);
    if (spec.activeDeadlineSeconds !== undefined && !(Number(spec.activeDeadlineSeconds) > 0))
      causes.push(
        invalidValue('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than 0'),
      );
    causes.push(...validateJobTemplate('spec.template', spec.template));
  } else if (obj.kind === 'CronJob') {
    const cj = obj as CronJob;
    if ((cj.metadata.name ?? '').length > 52)
      causes.push(invalidValue('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
    const spec = cj.spec;
    if (!spec || typeof spec !== 'object') return [...causes, required('spec.schedule')];
    if (!spec.schedule) causes.push(required('spec.schedule'));
    else {
      const parsed = parseCron(String(spec.schedule));
      if ('error' in parsed) causes.push(invalidValue('spec.schedule', spec.schedule, parsed.error));
    }
    const policies = ['Allow', 'Forbid', 'Replace'];
    if (spec.concurrencyPolicy && !policies.includes(spec.concurrencyPolicy))
      causes.push(unsupported('spec.concurrencyPolicy', spec.concurrencyPolicy, policies));
    nonNegative(causes, 'spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit);
    nonNegative(causes, 'spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit);
    causes.push(...validateJobTemplate('spec.jobTemplate.spec.template', spec.jobTemplate?.spec?.template));
  }
  return causes;
}
