/**
 * Every background job the platform runs: one enum of names, one union of typed payloads, and the
 * queue each job travels on. A worker refuses to start unless every job name has exactly one handler.
 */
export enum QueueName {
  Commands = 'commands',
  Clusters = 'clusters',
  Grading = 'grading',
  /** Lab authoring: proofs (self-tests of drafts) and regrades of earlier versions' sessions. */
  Authoring = 'authoring',
}

export enum JobName {
  /** Drain a lab session's command mailbox, one command at a time, in sequence order. */
  CommandRun = 'command.run',
  ClusterProvision = 'cluster.provision',
  ClusterStop = 'cluster.stop',
  /** Grade a lab session against its lab's checks (coalesced: one pending job per session). */
  GradingRun = 'grading.run',
  /** Run a draft revision's self-test in a worker thread (bounded in time), streaming step results. */
  LabProve = 'lab.prove',
  /** Move the sessions of an earlier published version onto a newer one and grade them again. */
  LabRegrade = 'lab.regrade',
}

export interface JobPayloads {
  [JobName.CommandRun]: { labSessionId: string; runId: string };
  // The session routes the job to the worker that holds (or will hold) the cluster (SessionRouter); optional only
  // for jobs queued before it was carried.
  [JobName.ClusterProvision]: { clusterId: string; labSessionId?: string };
  [JobName.ClusterStop]: {
    clusterId: string;
    labSessionId?: string;
    reason: 'reset' | 'idle' | 'deadline' | 'finished' | 'admin';
  };
  [JobName.GradingRun]: { labSessionId: string; trigger: 'command' | 'request' | 'cluster' | 'home' };
  [JobName.LabProve]: { proofId: string };
  [JobName.LabRegrade]: { regradeId: string };
}

export type JobItem = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];

export type JobHandler<N extends JobName> = (data: JobPayloads[N]) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.CommandRun]: QueueName.Commands,
  [JobName.ClusterProvision]: QueueName.Clusters,
  [JobName.ClusterStop]: QueueName.Clusters,
  [JobName.GradingRun]: QueueName.Grading,
  [JobName.LabProve]: QueueName.Authoring,
  [JobName.LabRegrade]: QueueName.Authoring,
};

/** Queues that each worker also has its own copy of (`<queue>@<worker id>`): a placed session's jobs go there. */
export const PER_WORKER_QUEUES: readonly QueueName[] = [
  QueueName.Commands,
  QueueName.Clusters,
  QueueName.Grading,
];

/** The lab session a job belongs to, if any: its worker runs it (SessionRouter). */
export function labSessionOf(item: JobItem): string | undefined {
  return 'labSessionId' in item.data ? item.data.labSessionId : undefined;
}

/** Services that handle jobs declare them here; the registry checks the union covers JobName once. */
export interface JobHandlerProvider {
  jobHandlers(): Partial<JobHandlers>;
}

export class JobRegistryError extends Error {}

export function buildJobRegistry(providers: JobHandlerProvider[]): JobHandlers {
  const registry: Partial<Record<JobName, unknown>> = {};
  const owners: Partial<Record<JobName, string>> = {};
  for (const provider of providers) {
    for (const [name, handler] of Object.entries(provider.jobHandlers()) as [JobName, unknown][]) {
      if (registry[name]) {
        throw new JobRegistryError(
          `job "${name}" has two handlers: ${owners[name]} and ${provider.constructor.name}`,
        );
      }
      registry[name] = handler;
      owners[name] = provider.constructor.name;
    }
  }
  const missing = Object.values(JobName).filter((name) => !registry[name]);
  if (missing.length > 0) throw new JobRegistryError(`no handler for job(s): ${missing.join(', ')}`);
  return registry as JobHandlers;
}
