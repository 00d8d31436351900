import type { ResourceInfo } from '../../api/resources';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { formatStatusError } from '../errors';
import { parseResourceArgs } from '../resource-args';
import { asKubectlRequest } from '../impersonation';

export interface Target {
  info: ResourceInfo;
  obj: KubeObject;
}

const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/**
 * Resolves `TYPE NAME...`, `TYPE/NAME...` and `TYPE -l sel` / `TYPE --all` to objects. NotFound errors are collected
 * (kubectl reports them after handling the objects that exist) and returned as printable lines.
 */
export function resolveTargets(
  ctx: KubectlContext,
  args: ParsedArgs,
  resourceArgs: string[],
  /** `requestVerb`: kubectl sends that request for a named object without reading it first (delete). */
  opts: { allowSelector?: boolean; requireName?: boolean; requestVerb?: string } = {},
): { targets: Target[]; errors: string[] } {
  const api = ctx.cluster.api;
  if (resourceArgs.length === 0) throw new CommandError(NO_RESOURCES);
  const requests = parseResourceArgs(api, resourceArgs);
  const selector = (args.flags.selector as string | undefined) ?? '';
  const all = (args.flags.all as boolean | undefined) ?? false;
  const namespace = namespaceFlag(args);
  const allNamespaces = (args.flags['all-namespaces'] as boolean | undefined) ?? false;
  const targets: Target[] = [];
  const errors: string[] = [];
  for (const { info, names } of requests) {
    const ns = info.namespaced ? namespace : undefined;
    if (names.length > 0) {
      if (selector) throw new CommandError('name cannot be provided when a selector is specified');
      for (const name of names) {
        try {
          const reader = opts.requestVerb
            ? asKubectlRequest(ctx, { verb: opts.requestVerb, resource: info.resource, namespace: ns, name })
            : api;
          targets.push({ info, obj: reader.get(info.resource, ns, name) });
        } catch (error) {
          if (!isStatusError(error)) throw error;
          errors.push(formatStatusError(error));
        }
      }
    } else if (opts.allowSelector && (selector || all)) {
      const listed = api.list(info.resource, {
        namespace: info.namespaced && !allNamespaces ? namespace : undefined,
        labelSelector: selector || undefined,
      });
      for (const obj of listed) targets.push({ info, obj });
    } else if (opts.requireName !== false) {
      throw new CommandError('resource(s) were provided, but no name was specified');
    }
  }
  return { targets, errors };
}

/** Prints collected NotFound errors to stderr and gives the exit code. */
export function reportErrors(ctx: KubectlContext, errors: string[]): number {
  for (const error of errors) ctx.stderr(error + '\n');
  return errors.length > 0 ? 1 : 0;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = canonical(child);
    }
    return out;
  }
  return value;
}
