/**
 * `kubectl taint`: kubectl's cmd/taint (taint.go, utils.go). Arguments up to the first taint-looking one (it has
 * `=`, `:` or a trailing `-`) are the resource type and names; the rest are taints to add (`key[=value]:effect`)
 * or remove (`key[:effect]-`). New taints go first, then the node's others; `--overwrite` replaces a taint with the
 * same key and effect. The answer is `node/x tainted`, `untainted` or `modified`.
 */
import type { Node, Taint } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError, UsageError } from '../context';
import { patchObject } from '../impersonation';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy } from './create-output';
import { isQualifiedName } from '../../server/validation';
import { labelValueError } from './validation';

type Effect = Taint['effect'];
const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A taint to remove: its key and, when given, its effect. */
interface Removal {
  key: string;
  effect?: Effect;
}

export const taintCommand: CommandDef = {
  path: ['taint'],
  short: 'Update the taints on one or more nodes',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
  flags: [
    flag.bool('overwrite', undefined, false, 'If true, allow taints to be overwritten.'),
    flag.bool('all', undefined, false, 'Select all nodes in the cluster'),
    flag.selector(),
    flag.output(),
    DRY_RUN_FLAG,
  ],
  run(ctx, args) {
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const resources: string[] = [];
    const specs: string[] = [];
    for (const arg of args.positional) {
      const isTaint = arg.includes('=') || arg.includes(':') || arg.endsWith('-');
      if (isTaint) specs.push(arg);
      else if (specs.length > 0)
        throw new CommandError(`all resources must be specified before taint changes: ${arg}`);
      else resources.push(arg);
    }
    const output = args.flags.output as string;
    const format = output ? parseOutputFormat(output, false) : undefined;
    if (resources.length < 1)
      throw new CommandError('one or more resources must be specified as <resource> <name>');
    if (specs.length < 1) throw new CommandError('at least one taint update is required');
    const { add, remove } = parseTaints(specs);
    const api = ctx.cluster.api;
    const type = resources[0].toLowerCase();
    const info = api.resourceFor(type);
    if (!info) throw new CommandError(`the server doesn't have a resource type "${type}"`);
    if (info.kind !== 'Node')
      throw new CommandError(`invalid resource type ${type}, only node types are supported`);
    const conflicts = remove
      .filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect)))
      .map((r) => `${r.key}=${r.effect ?? ''}`);
    if (conflicts.length > 0)
      throw new CommandError(
        `can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`,
      );
    const all = args.flags.all as boolean;
    const selector = args.flags.selector as string;
    if (all && selector)
      throw new CommandError("setting 'all' parameter with a non empty selector is prohibited");
    if (!all && !selector && resources.length < 2)
      throw new CommandError("at least one resource name must be specified since 'all' parameter is not set");
    const nodes =
      all || selector
        ? api.list<Node>('nodes', { labelSelector: selector || undefined })
        : resources.slice(1).map((name) => api.get<Node>('nodes', undefined, name));
    for (const node of nodes) {
      const { operation, taints } = updateTaints(node, add, remove, args.flags.overwrite as boolean);
      const next = structuredClone(node);
      if (taints.length > 0) next.spec.taints = taints;
      else delete next.spec.taints;
      const result = dryRun === 'client' ? next : patchObject(ctx, next, { dryRun: dryRun === 'server' });
      if (format) ctx.stdout(printObjects([result], format, true, () => info));
      // taint.go sets the printer's operation after the dry-run suffix was added: the suffix is lost.
      else ctx.stdout(successLine(info, node.metadata.name, operation));
    }
    return 0;
  },
};

/** utils.go parseTaints: the additions (with an effect, no key twice for one effect) and the removals. */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Removal[] } {
  const add: Taint[] = [];
  const remove: Removal[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const taint = parseTaint(spec.slice(0, -1));
      remove.push({ key: taint.key, ...(taint.effect ? { effect: taint.effect } : {}) });
      continue;
    }
    const taint = parseTaint(spec);
    if (!taint.effect) throw new UsageError(`invalid taint spec: ${spec}`);
    if (add.some((t) => t.key === taint.key && t.effect === taint.effect))
      throw new UsageError(
        `duplicated taints with the same key and effect: {${taint.key} ${taint.value ?? ''} ${taint.effect} <nil>}`,
      );
    add.push(taint as Taint);
  }
  return { add, remove };
}

function parseTaint(spec: string): { key: string; value?: string; effect?: Effect } {
  const parts = spec.split(':');
  let key: string;
  let value: string | undefined;
  let effect: Effect | undefined;
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    if (!EFFECTS.includes(parts[1]))
      throw new UsageError(`invalid taint effect: ${parts[1]}, unsupported taint effect`);
    effect = parts[1] as Effect;
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new UsageError(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const problem = labelValueError(value);
      if (problem) throw new UsageError(`invalid taint spec: ${spec}, ${problem}`);
    }
  } else throw new UsageError(`invalid taint spec: ${spec}`);
  const problems = isQualifiedName(key);
  if (problems.length > 0) throw new UsageError(`invalid taint spec: ${spec}, ${problems.join('; ')}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** taint.go updateTaints + utils.go reorganizeTaints. */
function updateTaints(
  node: Node,
  add: Taint[],
  remove: Removal[],
  overwrite: boolean,
): { operation: string; taints: Taint[] } {
  const old = node.spec.taints ?? [];
  if (!overwrite) {
    const exists = add
      .filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect))
      .map((t) => t.key);
    if (exists.length > 0)
      throw new CommandError(
        `node ${node.metadata.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`,
      );
  }
  let taints = [...add];
  for (const o of old) if (!taints.some((t) => t.key === o.key && t.effect === o.effect)) taints.push(o);
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let deleted = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    deleted = taints.length !== before;
    if (!deleted) errors.push(`taint "${r.effect ? `${r.key}:${r.effect}` : r.key}" not found`);
  }
  if (errors.length > 0) throw new CommandError(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  const operation = (added && deleted) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints };
}
