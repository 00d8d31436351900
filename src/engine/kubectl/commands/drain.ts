/**
 * `kubectl drain`: kubectl's cmd/drain over its pkg/drain helper. The nodes are cordoned, their pods sorted by the
 * helper's filters (DaemonSet-managed, mirror, local storage, unmanaged), then evicted through the pods/eviction
 * subresource, which a PodDisruptionBudget can refuse (429: the pod is retried every 5 s), or deleted with
 * --disable-eviction; drain then polls every second until each pod is gone. kubectl runs one goroutine per pod;
 * here each pod is a small state machine stepped on the cluster clock, so the output has the same lines at the
 * same simulated times.
 */
import { isStatusError } from '../../api/status-error';
import type { DaemonSet } from '../../api/workload-types';
import type { Node, Pod } from '../../api/types';
import { controllerRef } from '../../controllers/owners';
import { goDuration } from '../../runtime/go-duration';
import { evictPod } from '../../server/eviction';
import { parseRequirements } from '../../server/selectors';
import { CommandDef, flag } from '../command';
import { CommandError, KubectlContext, RawError } from '../context';
import { asKubectlRequest } from '../impersonation';
import { waitForClusterChange } from '../wait';
import { checkNodeArgs, cordonNodes, resolveNodes, type DryRun } from './cordon';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { parseGoDuration } from './rollout-status';

const RETRY_MS = 5000;
const POLL_MS = 1000;

interface DrainOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  disableEviction: boolean;
  gracePeriodSeconds: number;
  podSelector: string;
  skipWaitSeconds: number;
  /** 0: no limit. */
  timeoutMs: number;
  dryRun: DryRun;
}

type Verdict = { delete: boolean; kind: 'okay' | 'skip' | 'warning' | 'error'; message?: string };

const OKAY: Verdict = { delete: true, kind: 'okay' };
const SKIP: Verdict = { delete: false, kind: 'skip' };
const warn = (remove: boolean, message: string): Verdict => ({ delete: remove, kind: 'warning', message });
const fail = (message: string): Verdict => ({ delete: false, kind: 'error', message });

export const drainCommand: CommandDef = {
  path: ['drain'],
  short: 'Drain node in preparation for maintenance',
  usage: 'kubectl drain NODE [options]',
  flags: [
    flag.bool('force', undefined, false, 'Continue even if there are pods that do not declare a controller.'),
    flag.bool('ignore-daemonsets', undefined, false, 'Ignore DaemonSet-managed pods.'),
    flag.bool('delete-emptydir-data', undefined, false, 'Continue even if there are pods using emptyDir.'),
    flag.bool(
      'disable-eviction',
      undefined,
      false,
      'Force drain to use delete, even if eviction is supported.',
    ),
    flag.int(
      'grace-period',
      undefined,
      -1,
      'Period of time in seconds given to each pod to terminate gracefully.',
    ),
    flag.string(
      'timeout',
      undefined,
      '0s',
      'The length of time to wait before giving up, zero means infinite',
    ),
    flag.string('pod-selector', undefined, '', 'Label selector to filter pods on the node'),
    flag.int(
      'skip-wait-for-delete-timeout',
      undefined,
      0,
      'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.',
    ),
    DRY_RUN_FLAG,
    flag.selector(),
  ],
  async run(ctx, args) {
    checkNodeArgs(args, 'drain NODE');
    const opts: DrainOptions = {
      force: args.flags.force as boolean,
      ignoreDaemonSets: args.flags['ignore-daemonsets'] as boolean,
      deleteEmptyDirData: args.flags['delete-emptydir-data'] as boolean,
      disableEviction: args.flags['disable-eviction'] as boolean,
      gracePeriodSeconds: args.flags['grace-period'] as number,
      podSelector: args.flags['pod-selector'] as string,
      skipWaitSeconds: args.flags['skip-wait-for-delete-timeout'] as number,
      timeoutMs: parseGoDuration(args.flags.timeout as string),
      dryRun: dryRunStrategy(ctx, args.flags['dry-run'] as string),
    };
    if (opts.podSelector) {
      try {
        parseRequirements(opts.podSelector);
      } catch {
        throw new CommandError('--pod-selector=<pod_selector> must be a valid label selector');
      }
    }
    const nodes = resolveNodes(ctx, args);
    cordonNodes(ctx, nodes, true, opts.dryRun);
    const fatal: string[][] = [];
    const remaining: string[] = [];
    for (const node of nodes) {
      const errors = await drainNode(ctx, node, opts);
      if (errors.length === 0) {
        ctx.stdout(`node/${node.metadata.name} ${withDryRunSuffix('drained', opts.dryRun)}\n`);
        continue;
      }
      ctx.stderr(
        `error: unable to drain node "${node.metadata.name}" due to error:${aggregate(errors)}, continuing command...\n`,
      );
      fatal.push(errors);
      remaining.push(node.metadata.name);
    }
    if (remaining.length === 0) return 0;
    ctx.stderr(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
    // cmdutil.CheckErr prints an aggregate one error a line, without `error: `; an aggregate of one is unwrapped
    // first, so one failed node shows each of its errors, several nodes one aggregate each.
    throw new RawError((fatal.length === 1 ? unique(fatal[0]) : fatal.map(aggregate)).join('\n'));
  },
};

/** utilerrors.NewAggregate(...).Error(): one message alone, several (duplicates dropped) in brackets. */
function aggregate(errors: string[]): string {
  const messages = unique(errors);
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

function unique(messages: string[]): string[] {
  return [...new Set(messages)];
}

/** deleteOrEvictPodsSimple: the errors that stop this node's drain (none: drained). */
async function drainNode(ctx: KubectlContext, node: Node, opts: DrainOptions): Promise<string[]> {
  const list = podsForDeletion(ctx, node, opts);
  const errors = grouped(list, 'error').map(([message, pods]) => `cannot delete ${message}: ${pods}`);
  if (errors.length > 0) return errors;
  const warnings = grouped(list, 'warning').map(([message, pods]) => `${message}: ${pods}`);
  if (warnings.length > 0) ctx.stderr(`Warning: ${warnings.join('; ')}\n`);
  const pods = list.filter((entry) => entry.verdict.delete).map((entry) => entry.pod);
  if (opts.dryRun === 'client') {
    for (const pod of pods)
      ctx.stdout(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
    return [];
  }
  if (pods.length === 0) return [];
  const failures = opts.disableEviction
    ? await deletePods(ctx, pods, opts)
    : await evictPods(ctx, pods, opts);
  if (failures.length === 0) return [];
  const pending = podsForDeletion(ctx, node, opts).filter((entry) => entry.verdict.delete);
  if (pending.length > 0) {
    ctx.stderr(
      `There are pending pods in node "${node.metadata.name}" when an error occurred: ${aggregate(failures)}\n`,
    );
    for (const entry of pending) ctx.stderr(`pod/${entry.pod.metadata.name}\n`);
  }
  return failures;
}

/** The filter verdicts' messages with the pods (`ns/name, ...`) that got each, in first-seen order. */
function grouped(list: { pod: Pod; verdict: Verdict }[], kind: Verdict['kind']): [string, string][] {
  const byMessage = new Map<string, string[]>();
  for (const { pod, verdict } of list) {
    if (verdict.kind !== kind) continue;
    const message = verdict.message || 'unexpected error';
    byMessage.set(message, [
      ...(byMessage.get(message) ?? []),
      `${pod.metadata.namespace}/${pod.metadata.name}`,
    ]);
  }
  return [...byMessage].map(([message, pods]) => [message, pods.join(', ')]);
}

/** GetPodsForDeletion: the node's pods (all namespaces, --pod-selector) through the helper's filters in order. */
function podsForDeletion(
  ctx: KubectlContext,
  node: Node,
  opts: DrainOptions,
): { pod: Pod; verdict: Verdict }[] {
  const pods = ctx.cluster.api.list<Pod>('pods', {
    labelSelector: opts.podSelector || undefined,
    fieldSelector: `spec.nodeName=${node.metadata.name}`,
  });
  const filters = [skipDeleted, daemonSetFilter, mirrorFilter, localStorageFilter, unreplicatedFilter];
  return pods.map((pod) => {
    let verdict = OKAY;
    for (const filter of filters) {
      verdict = filter(ctx, pod, opts);
      if (!verdict.delete) break;
    }
    return { pod, verdict };
  });
}

const finished = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

function shouldSkip(ctx: KubectlContext, pod: Pod, skipWaitSeconds: number): boolean {
  const since = pod.metadata.deletionTimestamp;
  return (
    skipWaitSeconds > 0 &&
    !!since &&
    Math.floor((ctx.cluster.clock.now() - Date.parse(since)) / 1000) > skipWaitSeconds
  );
}

function skipDeleted(ctx: KubectlContext, pod: Pod, opts: DrainOptions): Verdict {
  return shouldSkip(ctx, pod, opts.skipWaitSeconds) ? SKIP : OKAY;
}

function daemonSetFilter(ctx: KubectlContext, pod: Pod, opts: DrainOptions): Verdict {
  const ref = controllerRef(pod);
  if (!ref || ref.kind !== 'DaemonSet' || finished(pod)) return OKAY;
  try {
    ctx.cluster.api.get<DaemonSet>('daemonsets', pod.metadata.namespace, ref.name);
  } catch (error) {
    if (!isStatusError(error)) throw error;
    if (isStatusError(error, 'NotFound') && opts.force) return warn(true, error.message);
    return fail(error.message);
  }
  if (!opts.ignoreDaemonSets) return fail('DaemonSet-managed Pods (use --ignore-daemonsets to ignore)');
  return warn(false, 'ignoring DaemonSet-managed Pods');
}

function mirrorFilter(_ctx: KubectlContext, pod: Pod): Verdict {
  return pod.metadata.annotations && 'kubernetes.io/config.mirror' in pod.metadata.annotations ? SKIP : OKAY;
}

function localStorageFilter(_ctx: KubectlContext, pod: Pod, opts: DrainOptions): Verdict {
  if (!(pod.spec.volumes ?? []).some((v) => v.emptyDir) || finished(pod)) return OKAY;
  if (!opts.deleteEmptyDirData)
    return fail('Pods with local storage (use --delete-emptydir-data to override)');
  return warn(true, 'deleting Pods with local storage');
}

function unreplicatedFilter(_ctx: KubectlContext, pod: Pod, opts: DrainOptions): Verdict {
  if (finished(pod) || controllerRef(pod)) return OKAY;
  if (opts.force) return warn(true, 'deleting Pods that declare no controller');
  return fail('cannot delete Pods that declare no controller (use --force to override)');
}

/** Whether the pod (this incarnation: same uid) is gone. */
function gone(ctx: KubectlContext, pod: Pod): boolean {
  try {
    return (
      ctx.cluster.api.get<Pod>('pods', pod.metadata.namespace, pod.metadata.name).metadata.uid !==
      pod.metadata.uid
    );
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return true;
    throw error;
  }
}

interface Eviction {
  pod: Pod;
  state: 'evict' | 'wait' | 'done';
  at: number;
}

/** evictPods: one eviction loop per pod, all under one global timeout; returns the errors. */
async function evictPods(ctx: KubectlContext, pods: Pod[], opts: DrainOptions): Promise<string[]> {
  const now = () => ctx.cluster.clock.now();
  const deadline = opts.timeoutMs > 0 ? now() + opts.timeoutMs : undefined;
  const timeoutText = goDuration(opts.timeoutMs);
  const errors: string[] = [];
  const runs: Eviction[] = pods.map((pod) => ({ pod, state: 'evict', at: now() }));
  while (runs.some((r) => r.state !== 'done')) {
    for (const run of runs) {
      if (run.state === 'done' || run.at > now()) continue;
      const { namespace, name } = run.pod.metadata;
      const timedOut = deadline !== undefined && now() >= deadline;
      if (run.state === 'evict') {
        const dry = opts.dryRun === 'server' ? ' (server dry run)' : '';
        ctx.stdout(`evicting pod ${namespace}/${name}${dry}\n`);
        if (timedOut) {
          errors.push(
            `error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${timeoutText}`,
          );
          run.state = 'done';
          continue;
        }
        const outcome = evictOnce(ctx, run.pod, opts);
        if (outcome === 'retry') {
          run.at = now() + RETRY_MS;
          continue;
        }
        if (outcome !== 'evicted') {
          if (outcome !== 'gone') errors.push(outcome);
          run.state = 'done';
          continue;
        }
        if (opts.dryRun === 'server') {
          run.state = 'done';
          continue;
        }
        run.state = 'wait';
        run.at = now();
      }
      // waitForDelete: polled at once, then every second.
      if (gone(ctx, run.pod)) {
        ctx.stdout(`pod/${name} evicted\n`);
        run.state = 'done';
      } else if (timedOut) {
        errors.push(
          `error when waiting for pod "${name}" in namespace "${namespace}" to terminate: global timeout reached: ${timeoutText}`,
        );
        run.state = 'done';
      } else run.at = now() + POLL_MS;
    }
    const pending = runs.filter((r) => r.state !== 'done');
    if (pending.length === 0) break;
    // kubectl notices the global timeout only when a pod's loop wakes (a retry, a poll).
    const next = Math.min(...pending.map((r) => r.at));
    while (now() < next) await waitForClusterChange(ctx, next);
  }
  return errors;
}

/** One EvictPod call: 'evicted', 'gone' (NotFound), 'retry' (429, reported), or the error that ends this pod. */
function evictOnce(ctx: KubectlContext, pod: Pod, opts: DrainOptions): 'evicted' | 'gone' | 'retry' | string {
  const { namespace, name } = pod.metadata;
  try {
    asKubectlRequest(ctx, { verb: 'create', resource: 'pods', namespace, name, subresource: 'eviction' });
    evictPod(ctx.cluster.server, namespace ?? 'default', name, {
      dryRun: opts.dryRun === 'server',
      gracePeriodSeconds: opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined,
      now: ctx.cluster.clock.now(),
    });
    return 'evicted';
  } catch (error) {
    if (!isStatusError(error)) throw error;
    const reason = error.status.reason;
    if (reason === 'NotFound') return 'gone';
    if (reason === 'TooManyRequests') {
      ctx.stderr(
        `error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${error.message}\n`,
      );
      return 'retry';
    }
    return `error when evicting pods/"${name}" -n "${namespace}": ${error.message}`;
  }
}

/** deletePods (--disable-eviction): every pod deleted, then one poll loop until all are gone or the timeout. */
async function deletePods(ctx: KubectlContext, pods: Pod[], opts: DrainOptions): Promise<string[]> {
  const now = () => ctx.cluster.clock.now();
  for (const pod of pods) {
    const { namespace, name } = pod.metadata;
    try {
      asKubectlRequest(ctx, { verb: 'delete', resource: 'pods', namespace, name }).delete(
        'pods',
        namespace,
        name,
        {
          dryRun: opts.dryRun === 'server',
          gracePeriodSeconds: opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined,
        },
      );
    } catch (error) {
      if (isStatusError(error, 'NotFound')) continue;
      if (isStatusError(error)) return [error.message];
      throw error;
    }
  }
  const deadline = opts.timeoutMs > 0 ? now() + opts.timeoutMs : undefined;
  let pending = pods;
  for (;;) {
    pending = pending.filter((pod) => {
      if (!gone(ctx, pod)) return keepWaiting(ctx, pod, opts);
      ctx.stdout(`pod/${pod.metadata.name} deleted\n`);
      return false;
    });
    if (pending.length === 0) return [];
    if (deadline !== undefined && now() >= deadline) return ['timed out waiting for the condition'];
    const next = now() + POLL_MS;
    while (now() < next) await waitForClusterChange(ctx, next);
  }
}

/** A pod deleted long ago (--skip-wait-for-delete-timeout) is not waited for: kubectl says so. */
function keepWaiting(ctx: KubectlContext, pod: Pod, opts: DrainOptions): boolean {
  const current = ctx.cluster.api.get<Pod>('pods', pod.metadata.namespace, pod.metadata.name);
  if (!shouldSkip(ctx, current, opts.skipWaitSeconds)) return true;
  ctx.stdout(
    `Pod ${pod.metadata.name} has DeletionTimestamp older than ${opts.skipWaitSeconds} seconds, skipping\n`,
  );
  return false;
}
