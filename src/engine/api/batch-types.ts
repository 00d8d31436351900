/** batch/v1 Job and CronJob (issue 14): the fields the engine's controllers and printers use. */
import type { KubeObject, LabelSelector, PodTemplateSpec } from './types';

export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget';
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** A podFailurePolicy rule: an action for failed pods whose containers exited with given codes or that carry a
 *  pod condition (DisruptionTarget). */
export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  selector?: LabelSelector;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  podReplacementPolicy?: string;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  /** Indexed Jobs: the succeeded (and, with backoffLimitPerIndex, failed) indexes as `0-2,5`. */
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: Record<string, never>;
  ready?: number;
}

export interface Job extends KubeObject {
  apiVersion: 'batch/v1';
  kind: 'Job';
  spec: JobSpec;
  status?: JobStatus;
}

/** A job template's metadata: labels and annotations, `creationTimestamp: null` as the API writes it. */
export interface JobTemplateMeta {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: null;
}

export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  jobTemplate: { metadata?: JobTemplateMeta; spec: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJobStatus {
  active?: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace: string;
    resourceVersion?: string;
    uid: string;
  }[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export interface CronJob extends KubeObject {
  apiVersion: 'batch/v1';
  kind: 'CronJob';
  spec: CronJobSpec;
  status?: CronJobStatus;
}
