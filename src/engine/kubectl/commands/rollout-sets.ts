/**
 * `kubectl rollout history | undo | restart | pause | resume | status` for DaemonSets and StatefulSets, whose
 * history is their ControllerRevisions (polymorphichelpers history.go, rollback.go, rollout_status.go).
 */
import type { ResourceInfo } from '../../api/resources';
import type { KubeObject, PodTemplateSpec } from '../../api/types';
import type { ControllerRevision, DaemonSet, StatefulSet } from '../../api/workload-types';
import type { ParsedArgs } from '../argv';
import { namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { patchObject } from '../impersonation';
import { successLine } from '../output';
import { alignTabs, DESCRIBE_OPTIONS } from '../printers/tabwriter';
import { kindWithGroup, parseResourceArgs } from '../resource-args';
import { deepEqual } from './shared';

export type SetObject = DaemonSet | StatefulSet;
export const SET_RESOURCES = new Set(['daemonsets', 'statefulsets']);

/** The DaemonSet or StatefulSet a rollout subcommand names, or undefined when it names something else. */
export function setTarget(
  ctx: KubectlContext,
  args: ParsedArgs,
): { info: ResourceInfo; obj: SetObject } | undefined {
  if (args.positional.length === 0) return undefined;
  const [request] = parseResourceArgs(ctx.cluster.api, args.positional);
  if (!request || !SET_RESOURCES.has(request.info.resource) || request.names.length === 0) return undefined;
  const obj = ctx.cluster.api.get<SetObject>(request.info.resource, namespaceFlag(args), request.names[0]);
  return { info: request.info, obj };
}

function history(ctx: KubectlContext, obj: KubeObject): Map<number, ControllerRevision> {
  const out = new Map<number, ControllerRevision>();
  for (const rev of ctx.cluster.api.list<ControllerRevision>('controllerrevisions', {
    namespace: obj.metadata.namespace,
  }))
    if (rev.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid))
      out.set(rev.revision, rev);
  return out;
}

function templateOf(rev: ControllerRevision): PodTemplateSpec {
  const { $patch: _patch, ...template } = rev.data.spec.template;
  return template as PodTemplateSpec;
}

export function setHistory(
  ctx: KubectlContext,
  target: { info: ResourceInfo; obj: SetObject },
  revision: number,
  printTemplate: (header: string, template: PodTemplateSpec) => void,
): void {
  const revs = history(ctx, target.obj);
  const name = `${kindWithGroup(target.info)}/${target.obj.metadata.name}`;
  if (revision > 0) {
    const rev = revs.get(revision);
    if (!rev) throw new CommandError('unable to find the specified revision');
    printTemplate(`${name} with revision #${revision}`, templateOf(rev));
    return;
  }
  if (revs.size === 0) {
    ctx.stdout('No rollout history found.\n');
    return;
  }
  const rows = [...revs.keys()]
    .sort((a, b) => a - b)
    .map((r) => [String(r), revs.get(r)?.metadata.annotations?.['kubernetes.io/change-cause'] || '<none>']);
  ctx.stdout(`${name} \n`);
  const table = rows.map(([r, cause]) => `${r}\t${cause}\n`).join('');
  ctx.stdout(alignTabs(`REVISION\tCHANGE-CAUSE\n${table}`, DESCRIBE_OPTIONS) + '\n');
}

export function setUndo(
  ctx: KubectlContext,
  target: { info: ResourceInfo; obj: SetObject },
  toRevision: number,
): void {
  const revs = history(ctx, target.obj);
  const sorted = [...revs.keys()].sort((a, b) => a - b);
  let rev: ControllerRevision | undefined;
  if (toRevision > 0) rev = revs.get(toRevision);
  else if (sorted.length > 1) rev = revs.get(sorted[sorted.length - 2]);
  if (!rev) throw new CommandError(`unable to find specified revision ${toRevision} in history`);
  const template = templateOf(rev);
  const obj = target.obj;
  if (deepEqual(template, obj.spec.template)) {
    ctx.stdout(
      successLine(
        target.info,
        obj.metadata.name,
        `skipped rollback (current template already matches revision ${toRevision})`,
      ),
    );
    return;
  }
  obj.spec.template = JSON.parse(JSON.stringify(template)) as PodTemplateSpec;
  patchObject(ctx, obj);
  ctx.stdout(successLine(target.info, obj.metadata.name, 'rolled back'));
}

export function setRestart(ctx: KubectlContext, target: { info: ResourceInfo; obj: SetObject }): void {
  const obj = target.obj;
  const template = obj.spec.template;
  template.metadata = { ...(template.metadata ?? {}) };
  template.metadata.annotations = {
    ...(template.metadata.annotations ?? {}),
    'kubectl.kubernetes.io/restartedAt': new Date(ctx.cluster.clock.now())
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
  };
  patchObject(ctx, obj);
  ctx.stdout(successLine(target.info, obj.metadata.name, 'restarted'));
}

/** DaemonSets and StatefulSets cannot be paused: kubectl's pauser and resumer refuse them. */
export function setPauseError(
  target: { info: ResourceInfo; obj: SetObject },
  verb: 'pause' | 'resume',
): CommandError {
  const resource = `${target.info.resource}${target.info.group ? `.${target.info.group}` : ''}`;
  return new CommandError(
    `${resource} "${target.obj.metadata.name}" ${verb === 'pause' ? 'pausing' : 'resuming'} is not supported`,
  );
}

/** One `rollout status` line for a DaemonSet or StatefulSet, and whether the rollout is complete. */
export function setRolloutStatus(obj: SetObject): { message: string; done: boolean } {
  const name = obj.metadata.name;
  if ((obj.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate')
    throw new CommandError('rollout status is only available for RollingUpdate strategy type');
  if (obj.kind === 'DaemonSet') {
    const s = obj.status;
    if ((obj.metadata.generation ?? 0) > (s?.observedGeneration ?? 0))
      return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
    const desired = s?.desiredNumberScheduled ?? 0;
    if ((s?.updatedNumberScheduled ?? 0) < desired)
      return {
        message: `Waiting for daemon set "${name}" rollout to finish: ${s?.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`,
        done: false,
      };
    if ((s?.numberAvailable ?? 0) < desired)
      return {
        message: `Waiting for daemon set "${name}" rollout to finish: ${s?.numberAvailable ?? 0} of ${desired} updated pods are available...\n`,
        done: false,
      };
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  const s = obj.status;
  if (!s?.observedGeneration || (obj.metadata.generation ?? 0) > s.observedGeneration)
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const replicas = obj.spec.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < replicas)
    return { message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  const partition = obj.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    if ((s.updatedReplicas ?? 0) < replicas - partition)
      return {
        message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`,
        done: false,
      };
    return {
      message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...\n`,
      done: true,
    };
  }
  if (s.updateRevision !== s.currentRevision)
    return {
      message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...\n`,
      done: false,
    };
  return {
    message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...\n`,
    done: true,
  };
}
