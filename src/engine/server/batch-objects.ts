/**
 * Job and CronJob on the API server (issue 14): defaults (SetDefaults_Job, SetDefaults_CronJob), the Job's
 * generated selector and labels (PrepareForCreate, once the uid is known) and validation.
 */
import type { StatusCause } from '../api/status-error';
import type { Container, CronJob, Job, KubeObject, PodTemplateSpec } from '../api/types';
import { parseCron } from '../controllers/cron';
import { isKnownTimeZone } from '../controllers/time-zone';
import { defaultPodSpec } from './defaults';
import { validatePodSpec } from './pod-spec-validation';
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
    // With a per-index limit, the Job-wide one is effectively off (math.MaxInt32).
    spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
    for (const rule of Array.isArray(spec.podFailurePolicy?.rules) ? spec.podFailurePolicy.rules : [])
      for (const pattern of Array.isArray(rule?.onPodConditions) ? rule.onPodConditions : [])
        if (pattern && typeof pattern === 'object') pattern.status ??= 'True';
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
  const containers: Container[] | undefined = template.spec.containers;
  if (!Array.isArray(containers)) return [required(`${path}.spec.containers`)];
  const causes = validatePodSpec(`${path}.spec`, template.spec);
  const policy = template.spec.restartPolicy ?? 'Always';
  if (policy !== 'OnFailure' && policy !== 'Never')
    causes.push(unsupported(`${path}.spec.restartPolicy`, policy, ['OnFailure', 'Never']));
  return causes;
}

const FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

/** completionMode, backoffLimitPerIndex and podFailurePolicy (validateJobSpec, v1.30). */
function validateIndexedJob(spec: Job['spec']): StatusCause[] {
  const causes: StatusCause[] = [];
  const mode = spec.completionMode ?? 'NonIndexed';
  if (mode !== 'NonIndexed' && mode !== 'Indexed')
    causes.push(unsupported('spec.completionMode', String(mode), ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec.completions === undefined)
    causes.push(required('spec.completions', 'when completion mode is Indexed'));
  nonNegative(causes, 'spec.backoffLimitPerIndex', spec.backoffLimitPerIndex);
  nonNegative(causes, 'spec.maxFailedIndexes', spec.maxFailedIndexes);
  if (spec.backoffLimitPerIndex !== undefined && mode !== 'Indexed')
    causes.push(
      invalidValue(
        'spec.backoffLimitPerIndex',
        spec.backoffLimitPerIndex,
        'requires indexed completion mode',
      ),
    );
  const policy = spec.podFailurePolicy;
  if (policy === undefined) return causes;
  const rules = Array.isArray(policy?.rules) ? policy.rules : [];
  rules.forEach((rule, i) => {
    const path = `spec.podFailurePolicy.rules[${i}]`;
    if (!rule || typeof rule !== 'object') return;
    if (!FAILURE_ACTIONS.includes(rule.action))
      causes.push(unsupported(`${path}.action`, String(rule.action ?? ''), FAILURE_ACTIONS));
    else if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined)
      causes.push(invalidValue(`${path}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    if (!rule.onExitCodes === !rule.onPodConditions)
      causes.push({
        field: path,
        message: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      });
    const codes = rule.onExitCodes;
    if (codes && codes.operator !== 'In' && codes.operator !== 'NotIn')
      causes.push(unsupported(`${path}.onExitCodes.operator`, String(codes.operator ?? ''), ['In', 'NotIn']));
  });
  return causes;
}

function nonNegative(causes: StatusCause[], field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    causes.push(invalidValue(field, value as number, 'must be greater than or equal to 0'));
}

/** https://data.iana.org/time-zones/theory.html#naming, with digits and '+' tolerated for legacy names. */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone (v1.30): naming rules, no "Local", then what time.LoadLocation knows. */
function validateTimeZone(zone: unknown): StatusCause[] {
  if (zone === undefined || zone === null) return [];
  const name = String(zone);
  if (name === '') return [invalidValue('spec.timeZone', name, 'timeZone must be nil or non-empty string')];
  const unknown = invalidValue('spec.timeZone', name, `unknown time zone ${name}`);
  for (const part of name.split('/'))
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return [unknown];
  const causes: StatusCause[] = [];
  if (name.toLowerCase() === 'local')
    causes.push(
      invalidValue(
        'spec.timeZone',
        name,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    );
  // time.LoadLocation("Local") succeeds; every other name must be in the tz database.
  if (name !== 'Local' && !isKnownTimeZone(name)) causes.push(unknown);
  return causes;
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
    // validateJobSpec's order: index and failure-policy fields, then the template, then restartPolicy vs policy.
    causes.push(...validateIndexedJob(spec));
    causes.push(...validateJobTemplate('spec.template', spec.template));
    const restartPolicy = spec.template?.spec?.restartPolicy;
    if (spec.podFailurePolicy !== undefined && restartPolicy === 'OnFailure')
      causes.push(
        invalidValue(
          'spec.template.spec.restartPolicy',
          restartPolicy,
          'only "Never" is supported when podFailurePolicy is specified',
        ),
      );
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
      // validateScheduleFormat on create: the zone belongs in spec.timeZone (any "TZ" in the text is refused).
      if (String(spec.schedule).includes('TZ'))
        causes.push(
          invalidValue(
            'spec.schedule',
            spec.schedule,
            'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
          ),
        );
    }
    causes.push(...validateTimeZone(spec.timeZone));
    const policies = ['Allow', 'Forbid', 'Replace'];
    if (spec.concurrencyPolicy && !policies.includes(spec.concurrencyPolicy))
      causes.push(unsupported('spec.concurrencyPolicy', spec.concurrencyPolicy, policies));
    nonNegative(causes, 'spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit);
    nonNegative(causes, 'spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit);
    causes.push(...validateJobTemplate('spec.jobTemplate.spec.template', spec.jobTemplate?.spec?.template));
  }
  return causes;
}
