import { parseAllDocuments } from 'yaml';
import type { ResourceInfo } from '../../api/resources';
import { isStatusError, StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { HomeError } from '../../terminal/home/home-directory';
import { isAbortError, NO_INPUT, readAll } from '../../terminal/input';
import { CommandDef, namespaceFlag } from '../command';
import { CommandError, InterruptedError, KubectlContext } from '../context';
import { asKubectlRequest } from '../impersonation';
import { successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { VALIDATE_FLAG, validateFields, validationDirective } from './validate-flag';
import { sortKeys } from '../printers/json';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const applyCommand: CommandDef = {
  path: ['apply'],
  short: 'Apply a configuration to a resource by file name or stdin',
  usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
  flags: [
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'The files that contain the configurations to apply.',
    },
    {
      name: 'kustomize',
      shorthand: 'k',
      type: 'string',
      default: '',
      description: 'Process a kustomization directory.',
    },
    DRY_RUN_FLAG,
    RECORD_FLAG,
    VALIDATE_FLAG,
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (args.flags.kustomize)
      throw new CommandError('kubectl apply -k is not available in this lab terminal');
    if (files.length === 0) throw new CommandError('must specify one of -f and -k');
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const directive = validationDirective(args);
    const write = { dryRun: dryRun === 'server' };
    const manifests = await readManifests(ctx, files);
    if (manifests.length === 0) throw new CommandError('no objects passed to apply');
    const api = ctx.cluster.api;
    for (const { source, obj } of manifests) {
      const info = api.resourceFor(obj.kind);
      if (!info)
        throw new CommandError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
        );
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      // The change-cause is part of what is applied (and of the last-applied record).
      recordCommand(obj, ['apply'], args);
      const applied = appliedConfiguration(obj);
      let existing: KubeObject | undefined;
      try {
        existing = api.get(info.resource, obj.metadata.namespace, obj.metadata.name);
      } catch (error) {
        if (!isStatusError(error, 'NotFound')) throw retrievalError(error, info, obj, source);
      }
      if (!existing) {
        obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: applied + '\n' };
        if (dryRun !== 'client')
          withSource(`creating "${source}"`, () => {
            validateFields(ctx, obj, info, directive, 'create');
            api.create(obj, write);
          });
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('created', dryRun)));
        continue;
      }
      if (existing.metadata.annotations?.[LAST_APPLIED] === applied + '\n') {
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('unchanged', dryRun)));
        continue;
      }
      const before = JSON.stringify(sortKeys(existing));
      const next = mergeForApply(existing, obj, applied);
      // kubectl sends a patch here; its Strict error also carries the patch text, which the lab does not compute.
      if (dryRun !== 'client')
        withSource(`patching "${source}"`, () => validateFields(ctx, next, info, directive, 'patch'));
      // kubectl PATCHes the live object: under --as, `patch` is the verb authorised.
      const patcher = asKubectlRequest(ctx, {
        verb: 'patch',
        resource: info.resource,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
      });
      const result = dryRun === 'client' ? next : patcher.update(next, write);
      const after = JSON.stringify(sortKeys(result));
      const operation = before === after ? 'unchanged' : 'configured';
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix(operation, dryRun)));
    }
    return 0;
  },
};

/**
 * GetModifiedConfiguration: the last-applied record of `obj` (which always gets an annotations map, empty if none,
 * and never holds the record itself).
 */
export function appliedConfiguration(obj: KubeObject): string {
  obj.metadata.annotations ??= {};
  delete obj.metadata.annotations[LAST_APPLIED];
  return JSON.stringify(sortKeys(obj));
}

/** The object an apply of `obj` over `existing` writes (`applied` from appliedConfiguration). */
export function mergeForApply(existing: KubeObject, obj: KubeObject, applied: string): KubeObject {
  // Every top-level field the manifest sets (spec, a ConfigMap's data, a Secret's type...) replaces the live one.
  const { metadata: _metadata, status: _status, ...fields } = obj as KubeObject & { status?: unknown };
  const merged: KubeObject = { ...existing, ...fields };
  merged.metadata = {
    ...existing.metadata,
    labels: obj.metadata.labels ?? existing.metadata.labels,
    annotations: {
      ...(existing.metadata.annotations ?? {}),
      ...(obj.metadata.annotations ?? {}),
      [LAST_APPLIED]: applied + '\n',
    },
  };
  return mergeServerDefaults(existing, merged);
}

/** kubectl's message when reading the live object fails otherwise than NotFound: what it read, for which file. */
function retrievalError(error: unknown, info: ResourceInfo, obj: KubeObject, source: string): unknown {
  if (!isStatusError(error)) return error;
  const gv = `${info.group}/${info.version}`;
  return new StatusError({
    ...error.status,
    message:
      `error when retrieving current configuration of:\nResource: "${gv}, Resource=${info.resource}", GroupVersionKind: "${gv}, Kind=${info.kind}"\n` +
      `Name: "${obj.metadata.name}", Namespace: "${obj.metadata.namespace ?? ''}"\nfrom server for: "${source}": ${error.status.message}`,
  });
}

/** kubectl's AddSourceToErr: a server error names the manifest it came from. */
function withSource(what: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if (!isStatusError(error)) throw error;
    throw new StatusError({ ...error.status, message: `error when ${what}: ${error.status.message}` });
  }
}

/** A manifest object and where it came from (`STDIN` for `-f -`, as kubectl names it in messages). */
export interface Manifest {
  source: string;
  obj: KubeObject;
}

/**
 * The objects of `-f` arguments in order: files or folders of the home directory, or `-` for stdin (read to its end),
 * each multi-document YAML or JSON; `List` objects contribute their items.
 */
export async function readManifests(
  ctx: KubectlContext,
  files: readonly string[],
  recursive = false,
): Promise<Manifest[]> {
  if (files.filter((file) => file === '-').length > 1)
    throw new CommandError('standard input cannot be used for multiple arguments');
  const texts: { source: string; text: string }[] = [];
  for (const file of files) {
    if (file === '-') {
      texts.push({ source: 'STDIN', text: await readStdin(ctx) });
      continue;
    }
    if (/^https?:\/\//.test(file))
      throw new CommandError(`unable to read URL "${file}": this lab terminal has no internet access`);
    texts.push(...filesOf(ctx, file, recursive));
  }
  const manifests: Manifest[] = [];
  for (const { source, text } of texts)
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0)
        throw new CommandError(
          `error parsing ${source}: error converting YAML to JSON: yaml: ${doc.errors[0].message}`,
        );
      const obj = doc.toJSON() as KubeObject | null;
      if (obj === null || typeof obj !== 'object') continue;
      const items = (obj as { items?: unknown }).items;
      const objects = obj.kind?.endsWith('List') && Array.isArray(items) ? (items as KubeObject[]) : [obj];
      for (const item of objects) {
        if (!item.apiVersion || !item.kind)
          throw new CommandError(`error validating "${source}": apiVersion or kind not set`);
        manifests.push({ source, obj: item });
      }
    }
  return manifests;
}

/** A `-f` path of the home: the file, or a folder's manifests (virtual-files.ts); kubectl's error when missing. */
function filesOf(ctx: KubectlContext, file: string, recursive: boolean): { source: string; text: string }[] {
  let found: ReturnType<typeof ctx.files.manifestSources>;
  try {
    found = ctx.files.manifestSources(file, recursive);
  } catch (error) {
    if (error instanceof HomeError) throw new CommandError(`the path "${file}" is ${error.message}`);
    throw error;
  }
  if (found === undefined) throw new CommandError(`the path "${file}" does not exist`);
  return found;
}

async function readStdin(ctx: KubectlContext): Promise<string> {
  try {
    return await readAll(ctx.stdin ?? NO_INPUT, ctx.signal);
  } catch (error) {
    if (isAbortError(error)) throw new InterruptedError();
    throw error;
  }
}

/**
 * Keeps server-assigned fields that a manifest does not mention: a Service's clusterIP and nodePorts, a claim's
 * class (DefaultStorageClass admission) and volume (the binder).
 */
function mergeServerDefaults(existing: KubeObject, merged: KubeObject): KubeObject {
  if (existing.kind === 'PersistentVolumeClaim') {
    const oldSpec = existing.spec as { storageClassName?: string; volumeName?: string };
    const newSpec = (merged.spec ?? {}) as typeof oldSpec;
    newSpec.storageClassName ??= oldSpec.storageClassName;
    newSpec.volumeName ??= oldSpec.volumeName;
    merged.spec = newSpec;
    return merged;
  }
  if (existing.kind !== 'Service') return merged;
  const oldSpec = existing.spec as {
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: { port: number; nodePort?: number }[];
  };
  const newSpec = merged.spec as typeof oldSpec;
  newSpec.clusterIP ??= oldSpec.clusterIP;
  newSpec.clusterIPs ??= oldSpec.clusterIPs;
  for (const port of newSpec.ports ?? []) {
    const match = oldSpec.ports?.find((p) => p.port === port.port);
    if (match?.nodePort && port.nodePort === undefined) port.nodePort = match.nodePort;
  }
  return merged;
}
