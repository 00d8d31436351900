import { parseAllDocuments } from 'yaml';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { isAbortError, NO_INPUT, readAll } from '../../terminal/input';
import { CommandDef, namespaceFlag } from '../command';
import { CommandError, InterruptedError, KubectlContext } from '../context';
import { successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { sortKeys } from '../printers/json';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

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
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (args.flags.kustomize)
      throw new CommandError('kubectl apply -k is not available in this lab terminal');
    if (files.length === 0) throw new CommandError('must specify one of -f and -k');
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const write = { dryRun: dryRun === 'server' };
    const manifests = await readManifests(ctx, files);
    if (manifests.length === 0) throw new CommandError('no objects passed to apply');
    const api = ctx.cluster.api;
    for (const { obj } of manifests) {
      const info = api.resourceFor(obj.kind);
      if (!info)
        throw new CommandError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
        );
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      // The change-cause is part of what is applied (and of the last-applied record).
      recordCommand(obj, ['apply'], args);
      const applied = JSON.stringify(sortKeys(obj));
      let existing: KubeObject | undefined;
      try {
        existing = api.get(info.resource, obj.metadata.namespace, obj.metadata.name);
      } catch (error) {
        if (!isStatusError(error, 'NotFound')) throw error;
      }
      if (!existing) {
        obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: applied + '\n' };
        if (dryRun !== 'client') api.create(obj, write);
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('created', dryRun)));
        continue;
      }
      if (existing.metadata.annotations?.[LAST_APPLIED] === applied + '\n') {
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('unchanged', dryRun)));
        continue;
      }
      const merged: KubeObject = { ...existing, spec: obj.spec ?? existing.spec };
      merged.metadata = {
        ...existing.metadata,
        labels: obj.metadata.labels ?? existing.metadata.labels,
        annotations: {
          ...(existing.metadata.annotations ?? {}),
          ...(obj.metadata.annotations ?? {}),
          [LAST_APPLIED]: applied + '\n',
        },
      };
      const before = JSON.stringify(sortKeys(existing));
      const next = mergeServerDefaults(existing, merged);
      const result = dryRun === 'client' ? next : api.update(next, write);
      const after = JSON.stringify(sortKeys(result));
      const operation = before === after ? 'unchanged' : 'configured';
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix(operation, dryRun)));
    }
    return 0;
  },
};

/** A manifest object and where it came from (`STDIN` for `-f -`, as kubectl names it in messages). */
export interface Manifest {
  source: string;
  obj: KubeObject;
}

/**
 * The objects of `-f` arguments in order: files of the virtual home directory, or `-` for stdin (read to its end),
 * each multi-document YAML or JSON; `List` objects contribute their items.
 */
export async function readManifests(ctx: KubectlContext, files: readonly string[]): Promise<Manifest[]> {
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
    const text = ctx.files.read(file);
    if (text === undefined) throw new CommandError(`the path "${file}" does not exist`);
    texts.push({ source: file, text });
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

async function readStdin(ctx: KubectlContext): Promise<string> {
  try {
    return await readAll(ctx.stdin ?? NO_INPUT, ctx.signal);
  } catch (error) {
    if (isAbortError(error)) throw new InterruptedError();
    throw error;
  }
}

/** Keeps server-assigned fields (a Service's clusterIP and nodePorts) that a manifest does not mention. */
function mergeServerDefaults(existing: KubeObject, merged: KubeObject): KubeObject {
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
