/**
 * `kubectl set env | resources | serviceaccount` on the pod template of Deployments, ReplicaSets, DaemonSets,
 * StatefulSets (and Pods, whose spec the API server then refuses to change). Each prints `<kind>/<name> <what>
 * updated` only when the object changed, as kubectl's patch calculation does.
 */
import type { ConfigMap, Container, EnvVar, KubeObject, PodSpec, Secret } from '../../api/types';
import { canonicalQuantity, isQuantity } from '../../api/quantity';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { wrapFailure, patchObject } from '../impersonation';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { splitResourcesAndPairs } from './metadata-update';
import { recordCommand, RECORD_FLAG } from './record';
import { listEnv } from './set-env-list';
import { deepEqual, reportErrors, resolveTargets, type Target } from './shared';

export function podSpecOf(obj: KubeObject): PodSpec | undefined {
  const o = obj as { kind: string; spec?: Record<string, unknown> };
  if (o.kind === 'Pod') return o.spec as unknown as PodSpec;
  if (o.kind === 'CronJob')
    return (o.spec?.jobTemplate as { spec?: { template?: { spec?: PodSpec } } } | undefined)?.spec?.template
      ?.spec;
  return (o.spec?.template as { spec?: PodSpec } | undefined)?.spec;
}

function matchContainers(spec: PodSpec, pattern: string): Container[] {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return [...(spec.initContainers ?? []), ...spec.containers].filter((c) => re.test(c.name));
}

/**
 * Updates each target with `change` and prints `<what> updated`, or with `-o` the object (the server's answer, or on a
 * client dry run the changed object). With `--record` (set resources, set serviceaccount) the command line goes into
 * the object's change-cause after the change, and a new change-cause alone is an update, as in kubectl's patch
 * calculation. An unchanged object is skipped, except by set serviceaccount (`always`), which sends its empty patch
 * and prints it as updated.
 */
function updateTargets(
  ctx: KubectlContext,
  args: ParsedArgs,
  path: readonly string[],
  targets: Target[],
  what: string,
  change: (spec: PodSpec, target: Target) => boolean,
  always = false,
): void {
  const dryRun = dryRunStrategy(ctx, (args.flags['dry-run'] as string) ?? 'none');
  const output = args.flags.output as string;
  const format = output ? parseOutputFormat(output, false, (args.flags.template as string) ?? '') : undefined;
  for (const target of targets) {
    const spec = podSpecOf(target.obj);
    if (!spec) continue;
    const before = JSON.stringify(spec);
    change(spec, target);
    const recorded = recordCommand(target.obj, path, args);
    const changed = JSON.stringify(spec) !== before || recorded;
    if (!changed && !always) continue;
    let result = target.obj;
    if (dryRun !== 'client' && changed) {
      const write = () => (result = patchObject(ctx, target.obj, { dryRun: dryRun === 'server' }));
      // set env wraps the server's error as kubectl does (the other set commands' wordings are not known here).
      if (path[1] === 'env') wrapFailure('failed to patch env update to pod template', write);
      else write();
    }
    // The set commands print typed objects: JSON in struct order.
    if (format) ctx.stdout(printObjects([result], format, true, () => target.info, true));
    else ctx.stdout(successLine(target.info, target.obj.metadata.name, withDryRunSuffix(what, dryRun)));
  }
}

const keyToEnvName = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();

function fromSource(ctx: KubectlContext, args: ParsedArgs): EnvVar[] {
  const from = args.flags.from as string;
  if (!from) return [];
  const slash = from.indexOf('/');
  const type = slash < 0 ? '' : from.slice(0, slash).toLowerCase();
  const name = from.slice(slash + 1);
  const info = ctx.cluster.api.resourceFor(type);
  if (slash < 0 || !info)
    throw new CommandError(`the server doesn't have a resource type "${slash < 0 ? from : type}"`);
  const keys = (args.flags.keys as string[] | undefined) ?? [];
  const prefix = (args.flags.prefix as string) ?? '';
  if (info.resource !== 'configmaps' && info.resource !== 'secrets')
    throw new CommandError(`unsupported resource specified in --from`);
  const obj = ctx.cluster.api.get<ConfigMap | Secret>(info.resource, namespaceFlag(args), name);
  const data = { ...((obj as ConfigMap).binaryData ?? {}), ...(obj.data ?? {}) };
  return Object.keys(data)
    .sort()
    .filter((key) => keys.length === 0 || keys.includes(key))
    .map((key) => ({
      name: `${prefix}${keyToEnvName(key)}`,
      valueFrom:
        info.resource === 'configmaps' ? { configMapKeyRef: { name, key } } : { secretKeyRef: { name, key } },
    }));
}

export const setEnvCommand: CommandDef = {
  path: ['set', 'env'],
  short: 'Update environment variables on a pod template',
  usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]',
  flags: [
    { name: 'env', shorthand: 'e', type: 'stringArray', default: [] as unknown as string },
    flag.bool('list', undefined, false),
    flag.bool('resolve', undefined, false),
    flag.string('from', undefined, ''),
    { name: 'keys', type: 'stringSlice', default: [] as unknown as string },
    flag.string('prefix', undefined, ''),
    flag.string('containers', 'c', '*'),
    flag.bool('overwrite', undefined, true),
    flag.bool('all', undefined, false),
    flag.selector(),
    flag.output(),
    DRY_RUN_FLAG,
  ],
  run(ctx, args) {
    const { resources, pairs } = splitResourcesAndPairs(args.positional, 'env');
    if (resources.length === 0)
      throw new CommandError(
        'one or more resources must be specified as <resource> <name> or <resource>/<name>',
      );
    const list = args.flags.list as boolean;
    if (list && (args.flags.output as string))
      throw new CommandError('--list and --output may not be specified together');
    if (((args.flags.keys as string[] | undefined) ?? []).length > 0 && !(args.flags.from as string))
      throw new CommandError('when specifying --keys, a configmap or secret must be provided with --from');
    const { targets, errors } = resolveTargets(ctx, args, resources, { allowSelector: true });
    const all = [...((args.flags.env as string[] | undefined) ?? []), ...pairs];
    const set: EnvVar[] = [];
    const remove: string[] = [];
    for (const pair of all) {
      const eq = pair.indexOf('=');
      if (eq > 0) set.push({ name: pair.slice(0, eq), value: pair.slice(eq + 1) });
      else if (pair.endsWith('-')) remove.push(pair.slice(0, -1));
      else throw new CommandError(`environment variables must be of the form key=value: ${pair}`);
    }
    set.push(...fromSource(ctx, args));
    const pattern = args.flags.containers as string;
    const overwrite = args.flags.overwrite as boolean;
    const apply = (spec: PodSpec) => {
      for (const c of matchContainers(spec, pattern)) {
        const env = [...(c.env ?? [])];
        for (const change of set) {
          const at = env.findIndex((e) => e.name === change.name);
          if (at >= 0) {
            if (!overwrite && !deepEqual(env[at], change))
              throw new CommandError(
                `'${change.name}' already has a value (${env[at].value ?? ''}), and --overwrite is false`,
              );
            env[at] = change;
          } else env.push(change);
        }
        const kept = env.filter((e) => !remove.includes(e.name));
        if (kept.length) c.env = kept;
        else delete c.env;
      }
      return true;
    };
    if (list) {
      // The listing shows the objects with this command's changes made in memory only.
      const objects = targets.map(({ obj }) => structuredClone(obj));
      for (const obj of objects) {
        const spec = podSpecOf(obj);
        if (spec) apply(spec);
      }
      listEnv(ctx, args, objects, podSpecOf, (spec) => matchContainers(spec, pattern));
      return reportErrors(ctx, errors);
    }
    if (set.length === 0 && remove.length === 0)
      throw new CommandError('at least one environment variable must be provided');
    updateTargets(ctx, args, ['set', 'env'], targets, 'env updated', apply);
    return reportErrors(ctx, errors);
  },
};

const QUANTITY_RE = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function parseResourceList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CommandError(`invalid argument syntax ${part}`);
    const value = part.slice(eq + 1);
    if (!isQuantity(value))
      throw new CommandError(`quantities must match the regular expression ${QUANTITY_RE}`);
    out[part.slice(0, eq)] = canonicalQuantity(value);
  }
  return out;
}

export const setResourcesCommand: CommandDef = {
  path: ['set', 'resources'],
  short: 'Update resource requests/limits on objects with pod templates',
  usage:
    'kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]',
  flags: [
    flag.string('limits', undefined, ''),
    flag.string('requests', undefined, ''),
    flag.string('containers', 'c', '*'),
    flag.bool('all', undefined, false),
    flag.bool('local', undefined, false),
    flag.selector(),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  run(ctx, args) {
    if (args.flags.local as boolean)
      throw new CommandError(
        "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
      );
    const { targets, errors } = resolveTargets(ctx, args, args.positional, { allowSelector: true });
    const limits = parseResourceList(args.flags.limits as string);
    const requests = parseResourceList(args.flags.requests as string);
    if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0)
      throw new CommandError(
        'you must specify an update to requests or limits (in the form of --requests/--limits)',
      );
    const pattern = args.flags.containers as string;
    updateTargets(ctx, args, ['set', 'resources'], targets, 'resource requirements updated', (spec) => {
      const matched = matchContainers(spec, pattern);
      if (matched.length === 0) throw new CommandError(`unable to find container named ${pattern}`);
      for (const c of matched) {
        const resources = { ...(c.resources ?? {}) } as {
          limits?: Record<string, string>;
          requests?: Record<string, string>;
        };
        if (Object.keys(limits).length) resources.limits = { ...(resources.limits ?? {}), ...limits };
        if (Object.keys(requests).length) resources.requests = { ...(resources.requests ?? {}), ...requests };
        c.resources = resources as Container['resources'];
      }
      return true;
    });
    return reportErrors(ctx, errors);
  },
};

export const setServiceAccountCommand: CommandDef = {
  path: ['set', 'serviceaccount'],
  aliases: ['sa'],
  short: 'Update the service account of a resource',
  usage: 'kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]',
  flags: [
    flag.bool('all', undefined, false),
    flag.bool('local', undefined, false),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  run(ctx, args) {
    if (args.positional.length === 0) throw new CommandError('serviceaccount is required');
    const account = args.positional[args.positional.length - 1];
    const { targets, errors } = resolveTargets(ctx, args, args.positional.slice(0, -1), {
      allowSelector: true,
    });
    updateTargets(
      ctx,
      args,
      ['set', 'serviceaccount'],
      targets,
      'serviceaccount updated',
      (spec) => {
        spec.serviceAccountName = account;
        return true;
      },
      true,
    );
    return reportErrors(ctx, errors);
  },
};
