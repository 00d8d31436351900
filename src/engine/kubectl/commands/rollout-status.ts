import type { Deployment, KubeObject } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandError, KubectlContext } from '../context';
import { waitForClusterChange } from '../wait';
import { rolloutTarget } from './rollout';
import { setRolloutStatus, setTarget, type SetObject } from './rollout-sets';

/** One status line for a Deployment and whether the rollout is complete (reference §3.1). */
export function deploymentRolloutStatus(d: Deployment, revision = 0): { message: string; done: boolean } {
  if (revision > 0) {
    const running = Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    if (running !== revision)
      throw new CommandError(
        `desired revision (${revision}) is different from the running revision (${running})`,
      );
  }
  const name = d.metadata.name;
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (status.observedGeneration ?? 0)) {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      throw new CommandError(`deployment "${name}" exceeded its progress deadline`);
    const updated = status.updatedReplicas ?? 0;
    const replicas = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const waiting = `Waiting for deployment "${name}" rollout to finish: `;
    if (d.spec.replicas !== undefined && updated < d.spec.replicas)
      return {
        message: `${waiting}${updated} out of ${d.spec.replicas} new replicas have been updated...\n`,
        done: false,
      };
    if (replicas > updated)
      return {
        message: `${waiting}${replicas - updated} old replicas are pending termination...\n`,
        done: false,
      };
    if (available < updated)
      return {
        message: `${waiting}${available} of ${updated} updated replicas are available...\n`,
        done: false,
      };
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

/** Go durations as `--timeout` takes them: `0s`, `90s`, `5m`, `1h30m`. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60000,
    h: 3600000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text))) {
    total += Number(match[1]) * units[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text === '')
    throw new CommandError(
      `invalid argument "${text}" for "--timeout" flag: time: invalid duration "${text}"`,
    );
  return total;
}

export async function rolloutStatus(ctx: KubectlContext, args: ParsedArgs): Promise<number> {
  const timeoutMs = parseGoDuration(args.flags.timeout as string);
  const revision = args.flags.revision as number;
  const set = setTarget(ctx, args);
  let deployment = set ? (set.obj as unknown as Deployment) : rolloutTarget(ctx, args, 'status viewer');
  const statusOf = (obj: KubeObject) =>
    set ? setRolloutStatus(obj as SetObject) : deploymentRolloutStatus(obj as Deployment, revision);
  const first = statusOf(deployment);
  ctx.stdout(first.message);
  if (first.done || !(args.flags.watch as boolean)) return 0;

  const deadline = timeoutMs > 0 ? ctx.cluster.clock.now() + timeoutMs : Infinity;
  const pending: { type: string; obj: KubeObject }[] = [];
  const stop = ctx.cluster.api.watch(
    set ? set.info.resource : 'deployments',
    { namespace: deployment.metadata.namespace },
    (type, obj) => {
      if (obj.metadata.name === deployment.metadata.name) pending.push({ type, obj });
    },
  );
  try {
    for (;;) {
      while (pending.length > 0) {
        const event = pending.shift() as { type: string; obj: KubeObject };
        if (event.type === 'DELETED') throw new CommandError('object has been deleted');
        deployment = event.obj as Deployment;
        const status = statusOf(deployment);
        ctx.stdout(status.message);
        if (status.done) return 0;
      }
      if (ctx.cluster.clock.now() >= deadline) throw new CommandError('timed out waiting for the condition');
      await waitForClusterChange(ctx);
    }
  } finally {
    stop();
  }
}
