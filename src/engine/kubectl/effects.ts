/**
 * What one terminal line did to the cluster, as graders need it: the namespace its (first) kubectl command ran
 * in, and the objects its kubectl commands created, changed or deleted. A runner that wants them passes an
 * EffectsRecorder in TerminalIO.effects; kubectl notes the namespace once its flags are parsed and its API
 * writes go through recordingContext(), so nothing is recomputed from the command line or the output.
 */
import type { Cluster } from '../cluster';
import type { ApiServer } from '../server/api-server';
import type { KubectlContext } from './context';

export type ObjectChange = 'created' | 'updated' | 'deleted';

/** An object a command wrote (not a dry run). Objects controllers made in response are not listed. */
export interface TouchedObject {
  kind: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
  /** The last change the line made to it. */
  change: ObjectChange;
}

/** The recorded effects of one line. */
export interface CommandEffects {
  /** Where the line's first kubectl command ran: its -n, else the context's namespace; `*` for -A. */
  namespace?: string;
  touched: TouchedObject[];
}

/** Bounds the record of a line that applies a whole folder: graders look for a few objects, not thousands. */
const MAX_TOUCHED = 200;

export class EffectsRecorder {
  namespace: string | undefined;
  readonly touched: TouchedObject[] = [];

  /** The first kubectl command of a line decides its namespace (`kubectl get -n a pods | kubectl ...`). */
  ranIn(namespace: string): void {
    this.namespace ??= namespace;
  }

  wrote(kind: string, namespace: string | undefined, name: string, change: ObjectChange): void {
    const existing = this.touched.find(
      (object) => object.kind === kind && object.namespace === namespace && object.name === name,
    );
    if (existing) {
      // Created and deleted in one line still counts as created-then-gone: the last change is what remains.
      existing.change = existing.change === 'created' && change === 'updated' ? 'created' : change;
      return;
    }
    if (this.touched.length >= MAX_TOUCHED) return;
    this.touched.push(namespace === undefined ? { kind, name, change } : { kind, namespace, name, change });
  }

  effects(): CommandEffects {
    return this.namespace === undefined
      ? { touched: [...this.touched] }
      : { namespace: this.namespace, touched: [...this.touched] };
  }
}

/** The namespace a kubectl command runs in, from its parsed flags (`config` edits the kubeconfig: the context's). */
export function noteNamespace(
  ctx: KubectlContext,
  flags: Record<string, unknown>,
  options: { config?: boolean } = {},
): void {
  if (!ctx.effects) return;
  const context = ctx.cluster.kubeconfig.namespace() || 'default';
  if (options.config) return ctx.effects.ranIn(context);
  if (flags['all-namespaces'] === true) return ctx.effects.ranIn('*');
  const namespace = typeof flags.namespace === 'string' && flags.namespace ? flags.namespace : context;
  ctx.effects.ranIn(namespace);
}

/** The context with its cluster's API writes noted in `effects` (dry runs are not). */
export function recordingContext(ctx: KubectlContext, effects: EffectsRecorder): KubectlContext {
  const inner = ctx.cluster.api;
  const note = (
    obj: { kind?: string; metadata?: { namespace?: string; name?: string } },
    change: ObjectChange,
  ) => {
    if (obj.kind && obj.metadata?.name)
      effects.wrote(obj.kind, obj.metadata.namespace, obj.metadata.name, change);
  };
  const api: ApiServer = {
    get: (resource, namespace, name) => inner.get(resource, namespace, name),
    list: (resource, opts) => inner.list(resource, opts),
    create(obj, opts) {
      const created = inner.create(obj, opts);
      if (!opts?.dryRun) note(created, 'created');
      return created;
    },
    update(obj, opts) {
      const updated = inner.update(obj, opts);
      if (!opts?.dryRun) note(updated, 'updated');
      return updated;
    },
    delete(resource, namespace, name, opts) {
      const deleted = inner.delete(resource, namespace, name, opts);
      if (!opts?.dryRun) note(deleted, 'deleted');
      return deleted;
    },
    watch: (resource, opts, onEvent) => inner.watch(resource, opts, onEvent),
    resourceFor: (kindOrAlias) => inner.resourceFor(kindOrAlias),
  };
  const cluster: Cluster = new Proxy(ctx.cluster, {
    get(target, prop) {
      if (prop === 'api') return api;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Cluster;
  return { ...ctx, cluster, effects };
}
