/**
 * What `kubectl label` and `kubectl annotate` share: reading `KEY=VALUE` / `KEY-` changes after the resources
 * (cmdutil.GetResourcesAndPairs), finding the objects (named, selected, or from `-f` files: the server's copy, or with
 * `--local` the file's own), the `--overwrite` check, `--list`, `--resource-version`, `--dry-run`, `--record`, the one
 * update path and the printing. Where the two commands differ (the parsing of a
 * change, the overwrite message, when --record is applied, the success message) `MetadataVerb` says how.
 */
import type { ResourceInfo } from '../../api/resources';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import type { FlagSpec, ParsedArgs } from '../argv';
import { namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { asKubectlRequest } from '../impersonation';
import { formatStatusError } from '../errors';
import { OutputFormat, parseOutputFormat, printObjects, successLine } from '../output';
import { parseResourceArgs } from '../resource-args';
import { readManifests } from './apply';
import { dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand } from './record';
import { resolveTargets, type Target } from './shared';

/** `-f FILE|DIR|-`: the objects to change are the ones these manifests name. */
export const FILENAME_FLAG: FlagSpec = {
  name: 'filename',
  shorthand: 'f',
  type: 'stringArray',
  default: [],
  description: 'Filename, directory, or URL to files identifying the resource to update',
};

/** `-R`: `-f` folders with their subfolders. */
export const RECURSIVE_FLAG: FlagSpec = {
  name: 'recursive',
  shorthand: 'R',
  type: 'bool',
  default: false,
  description: 'Process the directory used in -f, --filename recursively.',
};

/** `--local`: change the manifests' objects as read and print them, without the server. */
export const LOCAL_FLAG: FlagSpec = {
  name: 'local',
  type: 'bool',
  default: false,
  description: 'If true, the command will NOT contact api-server but run locally.',
};

export interface Changes {
  set: Record<string, string>;
  remove: string[];
}

/** How one of the two verbs behaves where they differ. */
export interface MetadataVerb {
  path: ['label'] | ['annotate'];
  field: 'labels' | 'annotations';
  /** `label`, `annotation`: GetResourcesAndPairs' error and the "at least one ... update" check. */
  noun: string;
  /** The file names the `--local` errors give as examples (`rsrc.yaml`, `pod.yaml`). */
  exampleFile: string;
  /** The changes, with the verb's own errors (kubectl's Complete, then Validate). */
  parse(pairs: string[]): Changes;
  /** The error when `--overwrite` is false and a key already has another value; undefined when there is none. */
  overwriteError(current: Record<string, string>, set: Record<string, string>): string | undefined;
  /** annotate records before it changes the object (so a given change-cause wins), label after. */
  recordFirst: boolean;
  /** label asks for its printer when it prints (after the update), annotate before it looks at the arguments. */
  lateFormat: boolean;
  /** `--list` together with `-o` is refused (label) or `-o` is ignored (annotate). */
  listRefusesOutput: boolean;
  /** label prints `label "k" not found.` for a removal of a key that is not there (not for client dry runs). */
  reportMissingRemovals: boolean;
  /** label prints what it sent, annotate what the server answered. */
  printsResponse: boolean;
  /** The success word from the object's JSON before and after the change. */
  message(before: string, after: string, overwrite: boolean): string;
}

/** cmdutil.GetResourcesAndPairs: resource arguments first, then `k=v` / `k-` changes. */
export function splitResourcesAndPairs(
  args: string[],
  pairType: string,
): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const arg of args) {
    const isPair = (arg.includes('=') && !arg.startsWith('=')) || (arg.endsWith('-') && arg !== '-');
    if (isPair) pairs.push(arg);
    else if (pairs.length > 0)
      throw new CommandError(`all resources must be specified before ${pairType} changes: ${arg}`);
    else resources.push(arg);
  }
  return { resources, pairs };
}

/** Runs label or annotate: kubectl's Complete, Validate and Run in their order. */
export async function runMetadataUpdate(
  ctx: KubectlContext,
  args: ParsedArgs,
  verb: MetadataVerb,
): Promise<number> {
  const files = (args.flags.filename as string[] | undefined) ?? [];
  const localFlag = args.flags.local === true;
  const output = args.flags.output as string;
  const list = args.flags.list as boolean;
  const overwrite = args.flags.overwrite as boolean;
  const resourceVersion = args.flags['resource-version'] as string;
  const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
  const formatOf = () =>
    output ? parseOutputFormat(output, false, (args.flags.template as string) ?? '') : undefined;
  let format = verb.lateFormat ? undefined : formatOf();
  const { resources, pairs } = splitResourcesAndPairs(args.positional, verb.noun);
  const changes = verb.parse(pairs);
  if (list && output && verb.listRefusesOutput)
    throw new CommandError('--list and --output may not be specified together');
  if (args.flags.all && args.flags.selector)
    throw new CommandError('cannot set --all and --selector at the same time');
  const [yamlFile, jsonFile] = [`${verb.exampleFile}.yaml`, `${verb.exampleFile}.json`];
  if (localFlag) {
    if (dryRun === 'server')
      throw new CommandError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    if (resources.length > 0)
      throw new CommandError(
        `can only use local files by -f ${yamlFile} or --filename=${jsonFile} when --local=true is set`,
      );
    if (files.length === 0)
      throw new CommandError(
        `one or more files must be specified as -f ${yamlFile} or --filename=${jsonFile}`,
      );
  } else if (resources.length === 0 && files.length === 0)
    throw new CommandError(
      'one or more resources must be specified as <resource> <name> or <resource>/<name>',
    );
  if (pairs.length === 0 && !list) throw new CommandError(`at least one ${verb.noun} update is required`);

  // The builder: unknown types first, then the single-resource rule of --resource-version, then the objects.
  let single: boolean;
  let found: { targets: Target[]; errors: string[] };
  if (files.length > 0) {
    if (resources.some((r) => r.includes('/')))
      throw new CommandError('resource/name arguments cannot be provided when a path is specified');
    if (resources.length > 0)
      throw new CommandError(
        'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well',
      );
    single = files.length === 1;
    if (!single && resourceVersion)
      throw new CommandError('--resource-version may only be used with a single resource');
    found = await fileTargets(ctx, args, files, localFlag);
  } else {
    const requests = parseResourceArgs(ctx.cluster.api, resources);
    single = requests.length === 1 && requests[0].names.length === 1;
    if (!single && resourceVersion)
      throw new CommandError('--resource-version may only be used with a single resource');
    found = resolveTargets(ctx, args, resources, { allowSelector: true });
  }
  const { targets, errors: notFound } = found;

  const errors: unknown[] = [];
  let printed = 0;
  for (const { info, obj } of targets) {
    try {
      const local = dryRun === 'client' || list || localFlag;
      if (resourceVersion) obj.metadata.resourceVersion = '';
      const before = JSON.stringify(obj);
      const current = { ...(obj.metadata[verb.field] ?? {}) };
      if (!local && verb.reportMissingRemovals)
        for (const key of changes.remove)
          if (!(key in current)) ctx.stdout(`${verb.noun} "${key}" not found.\n`);
      if (!local && verb.recordFirst) recordCommand(obj, verb.path, args);
      applyChanges(obj, verb, changes, overwrite, resourceVersion);
      if (!local && !verb.recordFirst) recordCommand(obj, verb.path, args);
      const message = verb.message(before, JSON.stringify(obj), overwrite);
      let result = obj;
      if (!local) {
        // ObjectMeta's maps are omitempty: the server keeps no empty map.
        const sent = structuredClone(obj);
        if (Object.keys(sent.metadata[verb.field] ?? {}).length === 0) delete sent.metadata[verb.field];
        // kubectl sends a merge patch: under --as, `patch` is the verb authorised.
        const patcher = asKubectlRequest(ctx, {
          verb: 'patch',
          resource: info.resource,
          namespace: sent.metadata.namespace,
          name: sent.metadata.name,
        });
        const answer = patcher.update(sent, { dryRun: dryRun === 'server' });
        if (verb.printsResponse) result = answer;
      }
      if (list) {
        printList(ctx, verb, result, single);
        continue;
      }
      if (verb.lateFormat) format = formatOf();
      // label makes a new printer for each object, so its YAML never separates documents; annotate keeps one.
      const count = verb.lateFormat ? 0 : printed++;
      ctx.stdout(printResult(result, format, count, info, withDryRunSuffix(message, dryRun)));
    } catch (error) {
      if (!(error instanceof CommandError) && !isStatusError(error)) throw error;
      errors.push(error);
    }
  }
  return reportAll(ctx, notFound, errors);
}

/**
 * The objects `-f` names: with `--local` the manifests themselves (kubectl never asks the server), otherwise the
 * server's copy of each (NotFound collected as for named resources), in the manifest's namespace or the flag's.
 */
export async function fileTargets(
  ctx: KubectlContext,
  args: ParsedArgs,
  files: string[],
  local: boolean,
): Promise<{ targets: Target[]; errors: string[] }> {
  const api = ctx.cluster.api;
  const targets: Target[] = [];
  const errors: string[] = [];
  for (const { source, obj } of await readManifests(ctx, files, args.flags.recursive === true)) {
    const info = api.resourceFor(obj.kind);
    if (local) {
      targets.push({ info: info ?? unmappedInfo(obj), obj });
      continue;
    }
    if (!info) {
      errors.push(
        `error: resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
      );
      continue;
    }
    const namespace = info.namespaced ? (obj.metadata.namespace ?? namespaceFlag(args)) : undefined;
    try {
      targets.push({ info, obj: api.get(info.resource, namespace, obj.metadata.name) });
    } catch (error) {
      if (!isStatusError(error)) throw error;
      errors.push(formatStatusError(error));
    }
  }
  return { targets, errors };
}

/** A kind the lab does not serve, read from a local file: named from its apiVersion as kubectl's printer names it. */
function unmappedInfo(obj: KubeObject): ResourceInfo {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const kind = String(obj.kind);
  return {
    resource: kind.toLowerCase() as ResourceInfo['resource'],
    singular: kind.toLowerCase(),
    kind,
    group,
    version,
    apiVersion: obj.apiVersion,
    namespaced: true,
    shortNames: [],
    verbs: [],
    categories: [],
  };
}

/** The overwrite check, then the changes and the resource version (labelFunc, updateAnnotations). */
function applyChanges(
  obj: KubeObject,
  verb: MetadataVerb,
  changes: Changes,
  overwrite: boolean,
  resourceVersion: string,
): void {
  const current = obj.metadata[verb.field] ?? {};
  if (!overwrite) {
    const problem = verb.overwriteError(current, changes.set);
    if (problem) throw new CommandError(problem);
  }
  const next: Record<string, string> = { ...current, ...changes.set };
  for (const key of changes.remove) delete next[key];
  obj.metadata[verb.field] = next;
  if (resourceVersion) obj.metadata.resourceVersion = resourceVersion;
}

/** `--list`: `k=v` lines (Go map order in kubectl; sorted here), under a heading unless one object was named. */
function printList(ctx: KubectlContext, verb: MetadataVerb, obj: KubeObject, single: boolean): void {
  const values = obj.metadata[verb.field] ?? {};
  const indent = single ? '' : ' ';
  if (!single) {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    ctx.stdout(`Listing ${verb.field} for ${obj.kind}.${group}/${obj.metadata.name}:\n`);
  }
  for (const key of Object.keys(values).sort()) ctx.stdout(`${indent}${key}=${values[key]}\n`);
}

function printResult(
  obj: KubeObject,
  format: OutputFormat | undefined,
  count: number,
  info: Parameters<typeof successLine>[0],
  message: string,
): string {
  if (!format) return successLine(info, obj.metadata.name, message);
  // The YAML printer separates the documents it prints with `---`.
  const separator = format.kind === 'yaml' && count > 0 ? '---\n' : '';
  return separator + printObjects([obj], format, true, () => info);
}

/**
 * ContinueOnError: every object is tried and the errors come last; one error prints as kubectl's CheckErr prints it,
 * several one per line (MultipleErrors, without `error: `).
 */
function reportAll(ctx: KubectlContext, notFound: string[], errors: unknown[]): number {
  const lines = [
    ...notFound,
    ...errors.map((error) => (isStatusError(error) ? formatStatusError(error) : (error as Error).message)),
  ];
  if (lines.length === 1 && errors.length === 1 && errors[0] instanceof CommandError)
    lines[0] = `error: ${lines[0]}`;
  for (const line of lines) ctx.stderr(line + '\n');
  return lines.length > 0 ? 1 : 0;
}
