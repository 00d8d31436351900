import type { Deployment, ReplicaSet } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { wrapFailure, patchObject } from '../impersonation';
import { DescribeWriter } from '../describe/common';
import { writePodTemplate } from '../describe/pod';
import { successLine } from '../output';
import { alignTabs, DESCRIBE_OPTIONS } from '../printers/tabwriter';
import { kindWithGroup, parseResourceArgs } from '../resource-args';
import { deepEqual } from './shared';
import { rolloutStatus } from './rollout-status';
import { setHistory, setPauseError, setRestart, setTarget, setUndo } from './rollout-sets';

const REVISION = 'deployment.kubernetes.io/revision';

/** The single Deployment a rollout subcommand works on. */
export function rolloutTarget(ctx: KubectlContext, args: ParsedArgs, verb: string): Deployment {
  if (args.positional.length === 0) throw new CommandError(`required resource not specified`);
  const requests = parseResourceArgs(ctx.cluster.api, args.positional);
  const [request] = requests;
  if (request.names.length === 0)
    throw new CommandError('resource(s) were provided, but no name was specified');
  if (request.info.resource !== 'deployments')
    throw new CommandError(
      `no ${verb} has been implemented for {"${request.info.group}" "${request.info.kind}"}`,
    );
  return ctx.cluster.api.get<Deployment>('deployments', namespaceFlag(args), request.names[0]);
}

/** ReplicaSets controlled by the deployment, as deploymentutil.GetAllReplicaSets finds them. */
export function ownedReplicaSets(ctx: KubectlContext, deployment: Deployment): ReplicaSet[] {
  return ctx.cluster.api
    .list<ReplicaSet>('replicasets', { namespace: deployment.metadata.namespace })
    .filter((rs) =>
      rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid),
    );
}

function revisionOf(rs: ReplicaSet): number | undefined {
  const value = rs.metadata.annotations?.[REVISION];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export const rolloutStatusCommand: CommandDef = {
  path: ['rollout', 'status'],
  short: 'Show the status of the rollout',
  usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    flag.bool('watch', 'w', true, "Watch the status of the rollout until it's done."),
    flag.int('revision', undefined, 0, 'Pin to a specific revision for showing its status.'),
    flag.string('timeout', undefined, '0s', 'The length of time to wait before ending watch.'),
  ],
  run: rolloutStatus,
};

export const rolloutHistoryCommand: CommandDef = {
  path: ['rollout', 'history'],
  short: 'View rollout history',
  usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    flag.int('revision', undefined, 0, 'See the details, including podTemplate of the revision specified'),
  ],
  run(ctx, args) {
    const set = setTarget(ctx, args);
    if (set)
      return setHistory(ctx, set, args.flags.revision as number, (header, template) =>
        printRevisionTemplate(ctx, header, template),
      );
    const deployment = rolloutTarget(ctx, args, 'history viewer');
    const history = new Map<number, ReplicaSet>();
    for (const rs of ownedReplicaSets(ctx, deployment)) {
      const revision = revisionOf(rs);
      if (revision !== undefined) history.set(revision, rs);
    }
    const info = ctx.cluster.api.resourceFor('deployments');
    if (!info) throw new Error('deployments are not served');
    const wanted = args.flags.revision as number;
    if (wanted > 0) {
      const rs = history.get(wanted);
      if (!rs) throw new CommandError(`unable to find the specified revision`);
      printRevisionTemplate(
        ctx,
        `${kindWithGroup(info)}/${deployment.metadata.name} with revision #${wanted}`,
        rs.spec.template,
      );
      return;
    }
    const rows = [...history.keys()]
      .sort((a, b) => a - b)
      .map((r) => {
        const cause = history.get(r)?.metadata.annotations?.['kubernetes.io/change-cause'] || '<none>';
        return `${r}\t${cause}\n`;
      });
    // kubectl's history viewer ends this header with a blank (real kubectl against `engine serve` prints it).
    ctx.stdout(`${kindWithGroup(info)}/${deployment.metadata.name} \n`);
    ctx.stdout(alignTabs(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, DESCRIBE_OPTIONS) + '\n');
  },
};

/**
 * `rollout history --revision=N`: the header, then the revision's pod template as describe prints it
 * (DescribePodTemplate), but straight into the output: kubectl's history viewer does not align its columns.
 */
export function printRevisionTemplate(
  ctx: KubectlContext,
  header: string,
  template: Deployment['spec']['template'],
): void {
  const w = new DescribeWriter();
  writePodTemplate(w, template);
  ctx.stdout(`${header}\n${w.chunks.join('')}\n`);
}

/** Annotations a rollback never copies from the ReplicaSet (rollback.go annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export const rolloutUndoCommand: CommandDef = {
  path: ['rollout', 'undo'],
  short: 'Undo a previous rollout',
  usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    flag.int('to-revision', undefined, 0, 'The revision to rollback to. Default to 0 (last revision).'),
  ],
  run(ctx, args) {
    const set = setTarget(ctx, args);
    if (set) return setUndo(ctx, set, args.flags['to-revision'] as number);
    const deployment = rolloutTarget(ctx, args, 'rollbacker');
    const toRevision = args.flags['to-revision'] as number;
    if (deployment.spec.paused)
      throw new CommandError(
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
      );
    const target = findRevision(ctx, deployment, toRevision);
    const template = JSON.parse(JSON.stringify(target.spec.template)) as ReplicaSet['spec']['template'];
    if (template.metadata.labels) delete template.metadata.labels['pod-template-hash'];
    const info = ctx.cluster.api.resourceFor('deployments');
    if (!info) throw new Error('deployments are not served');
    if (deepEqual(template, withoutHash(deployment.spec.template))) {
      ctx.stdout(
        successLine(
          info,
          deployment.metadata.name,
          `skipped rollback (current template already matches revision ${toRevision})`,
        ),
      );
      return;
    }
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {}))
      if (ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
    for (const [key, value] of Object.entries(target.metadata.annotations ?? {}))
      if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
    deployment.spec.template = template;
    deployment.metadata.annotations = annotations;
    patchObject(ctx, deployment);
    ctx.stdout(successLine(info, deployment.metadata.name, 'rolled back'));
  },
};

function withoutHash(template: Deployment['spec']['template']): Deployment['spec']['template'] {
  const copy = JSON.parse(JSON.stringify(template)) as Deployment['spec']['template'];
  if (copy.metadata.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}

/** rollback.go deploymentRevision: the RS of `toRevision`, or of the second-highest revision when it is 0. */
function findRevision(ctx: KubectlContext, deployment: Deployment, toRevision: number): ReplicaSet {
  let latest: { revision: number; rs?: ReplicaSet } = { revision: -1 };
  let previous: { revision: number; rs?: ReplicaSet } = { revision: -1 };
  let owned: ReplicaSet[] = [];
  wrapFailure(`failed to retrieve replica sets from deployment ${deployment.metadata.name}`, () => {
    owned = ownedReplicaSets(ctx, deployment);
  });
  for (const rs of owned) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    if (toRevision === 0) {
      if (latest.revision < revision) {
        previous = latest;
        latest = { revision, rs };
      } else if (previous.revision < revision) previous = { revision, rs };
    } else if (toRevision === revision) return rs;
  }
  if (toRevision > 0) throw new CommandError(`unable to find specified revision ${toRevision} in history`);
  if (!previous.rs)
    throw new CommandError(`no rollout history found for deployment "${deployment.metadata.name}"`);
  return previous.rs;
}

export const rolloutRestartCommand: CommandDef = {
  path: ['rollout', 'restart'],
  short: 'Restart a resource',
  usage: 'kubectl rollout restart RESOURCE [options]',
  flags: [],
  run(ctx, args) {
    const set = setTarget(ctx, args);
    if (set) return setRestart(ctx, set);
    const deployment = rolloutTarget(ctx, args, 'restarter');
    if (deployment.spec.paused)
      throw new CommandError(`can't restart paused deployment (run rollout resume first)`);
    const annotations = (deployment.spec.template.metadata.annotations ??= {});
    annotations['kubectl.kubernetes.io/restartedAt'] = new Date(ctx.cluster.clock.now())
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    wrapFailure('failed to patch', () => patchObject(ctx, deployment));
    const info = ctx.cluster.api.resourceFor('deployments');
    if (info) ctx.stdout(successLine(info, deployment.metadata.name, 'restarted'));
  },
};

function pauseCommand(verb: 'pause' | 'resume'): CommandDef {
  const paused = verb === 'pause';
  return {
    path: ['rollout', verb],
    short: paused ? 'Mark the provided resource as paused' : 'Resume a paused resource',
    usage: `kubectl rollout ${verb} RESOURCE [options]`,
    flags: [],
    run(ctx, args) {
      const set = setTarget(ctx, args);
      if (set) throw setPauseError(set, verb);
      const deployment = rolloutTarget(ctx, args, paused ? 'pauser' : 'resumer');
      if (!!deployment.spec.paused === paused)
        throw new CommandError(
          `deployments.apps "${deployment.metadata.name}" ${paused ? 'is already paused' : 'is not paused'}`,
        );
      deployment.spec.paused = paused ? true : undefined;
      wrapFailure('failed to patch', () => patchObject(ctx, deployment));
      const info = ctx.cluster.api.resourceFor('deployments');
      if (info) ctx.stdout(successLine(info, deployment.metadata.name, paused ? 'paused' : 'resumed'));
    },
  };
}

export const rolloutPauseCommand = pauseCommand('pause');
export const rolloutResumeCommand = pauseCommand('resume');
