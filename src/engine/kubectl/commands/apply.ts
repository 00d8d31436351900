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
import { hpaFromV1, hpaToV1 } from '../../http/autoscaling-v1';
import { strategicMerge } from '../../http/patch';
import { patchText, threeWayMergePatch } from './apply-patch';

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
      // An autoscaling/v1 manifest is stored as v2 (as the API server converts it), and diffed against, and patched
      // onto, the v1 view of the stored object.
      const v1Hpa = obj.kind === 'HorizontalPodAutoscaler' && obj.apiVersion === 'autoscaling/v1';
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
            const body = (v1Hpa ? hpaFromV1(obj) : obj) as KubeObject;
            validateFields(ctx, body, info, directive, 'create');
            api.create(body, write);
          });
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('created', dryRun)));
        continue;
      }
      const recorded = existing.metadata.annotations?.[LAST_APPLIED];
      if (recorded === undefined && dryRun !== 'client')
        ctx.stderr(
          `Warning: resource ${info.resource}/${obj.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
        );
      const current = v1Hpa ? hpaToV1(existing) : existing;
      const patch = applyPatchFor(current, obj, applied);
      const text = patchText(patch);
      // Under client dry-run kubectl sends nothing and reports every existing object as configured.
      if (dryRun !== 'client' && text === '{}') {
        ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('unchanged', dryRun)));
        continue;
      }
      if (dryRun !== 'client') {
        // kubectl PATCHes the live object: under --as, `patch` is the verb authorised.
        const patcher = asKubectlRequest(ctx, {
          verb: 'patch',
          resource: info.resource,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
        });
        const merged = strategicMerge(current, patch);
        const next = (v1Hpa ? hpaFromV1(merged) : merged) as KubeObject;
        withSource(
          `applying patch:\n${text}\nto:\n${objectInfo(info, obj)}\nfor: "${source}": error when patching "${source}"`,
          () => {
            validateFields(ctx, next, info, directive, 'patch');
            patcher.update(next, write);
          },
        );
      }
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('configured', dryRun)));
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
  // json.Marshal's text: keys sorted, HTML characters escaped.
  return patchText(obj);
}

/** The strategic merge patch kubectl apply sends to bring `existing` to `obj` (`applied` from appliedConfiguration). */
export function applyPatchFor(
  existing: KubeObject,
  obj: KubeObject,
  applied: string,
): Record<string, unknown> {
  const recorded = existing.metadata.annotations?.[LAST_APPLIED];
  let original: unknown = {};
  try {
    original = recorded ? JSON.parse(recorded) : {};
  } catch {
    // A hand-edited record that is not JSON: kubectl fails to decode it; the lab treats it as absent.
  }
  const modified = JSON.parse(JSON.stringify(obj)) as KubeObject;
  modified.metadata.annotations = {
    ...(modified.metadata.annotations ?? {}),
    [LAST_APPLIED]: applied + '\n',
  };
  return threeWayMergePatch(original, modified, existing);
}

/** The object an apply of `obj` over `existing` writes: the live object with kubectl's patch applied. */
export function mergeForApply(existing: KubeObject, obj: KubeObject, applied: string): KubeObject {
  return strategicMerge(existing, applyPatchFor(existing, obj, applied)) as KubeObject;
}

/** How kubectl prints a resource.Info in messages (its String()). */
function objectInfo(info: ResourceInfo, obj: KubeObject): string {
  // GroupVersion's String(): a core kind reads "/v1".
  const gv = `${info.group}/${info.version}`;
  return (
    `Resource: "${gv}, Resource=${info.resource}", GroupVersionKind: "${gv}, Kind=${info.kind}"\n` +
    `Name: "${obj.metadata.name}", Namespace: "${obj.metadata.namespace ?? ''}"`
  );
}

/** kubectl's message when reading the live object fails otherwise than NotFound: what it read, for which file. */
function retrievalError(error: unknown, info: ResourceInfo, obj: KubeObject, source: string): unknown {
  if (!isStatusError(error)) return error;
  return new StatusError({
    ...error.status,
    message: `error when retrieving current configuration of:\n${objectInfo(info, obj)}\nfrom server for: "${source}": ${error.status.message}`,
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
