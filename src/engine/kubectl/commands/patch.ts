/**
 * `kubectl patch (-f FILE | TYPE NAME) -p PATCH|--patch-file FILE [--type strategic|merge|json]`: kubectl's patch.go.
 * The patch (JSON or YAML) goes to the API server's PATCH, whose three flavours live in http/patch.ts; with `--local`
 * or a client dry run it is applied here to the file's or the server's object and nothing is sent. The answer prints
 * as `patched`, or `patched (no change)` when the object came back equal. `--record` sends a second, merge patch
 * with the change-cause after the first (Recorder.MakeRecordMergePatch), so it never counts as a change. The request
 * carries no fieldValidation, so unknown fields are the server's default warnings.
 */
import { parse as parseYaml } from 'yaml';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { applyPatch, type PatchType } from '../../http/patch';
import { HttpStatus } from '../../http/status';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { asKubectlRequest } from '../impersonation';
import { formatStatusError } from '../errors';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy } from './create-output';
import { FILENAME_FLAG, fileTargets, LOCAL_FLAG, RECURSIVE_FLAG } from './metadata-update';
import { recordCommand, RECORD_FLAG } from './record';
import { deepEqual, resolveTargets, type Target } from './shared';
import { validateFields } from './validate-flag';

const PATCH_TYPES: Record<string, PatchType> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export const patchCommand: CommandDef = {
  path: ['patch'],
  short: 'Update fields of a resource',
  usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  flags: [
    flag.string('patch', 'p', '', 'The patch to be applied to the resource JSON file.'),
    flag.string('patch-file', undefined, '', 'A file containing a patch to be applied to the resource.'),
    flag.string(
      'type',
      undefined,
      'strategic',
      'The type of patch being provided; one of [json merge strategic]',
    ),
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    LOCAL_FLAG,
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  async run(ctx, args) {
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const local = args.flags.local === true;
    const files = args.flags.filename as string[];
    const patchText = args.flags.patch as string;
    const patchFile = args.flags['patch-file'] as string;
    // Validate, in kubectl's order.
    if (local && args.positional.length > 0)
      throw new CommandError('cannot specify --local and server resources');
    if (local && dryRun === 'server')
      throw new CommandError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    if (patchText && patchFile) throw new CommandError('cannot specify --patch and --patch-file together');
    if (!patchText && !patchFile)
      throw new CommandError('must specify --patch or --patch-file containing the contents of the patch');
    const typeName = args.flags.type as string;
    const type = PATCH_TYPES[typeName.toLowerCase()];
    if (!type) throw new CommandError(`--type must be one of [json merge strategic], not "${typeName}"`);

    const patch = readPatch(ctx, patchText, patchFile);
    let found: { targets: Target[]; errors: string[] };
    if (files.length > 0) {
      if (args.positional.some((a) => a.includes('/')))
        throw new CommandError('resource/name arguments cannot be provided when a path is specified');
      if (args.positional.length > 0)
        throw new CommandError(
          'when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well',
        );
      found = await fileTargets(ctx, args, files, local);
    } else found = resolveTargets(ctx, args, args.positional);

    const errors: string[] = [...found.errors];
    for (const target of found.targets) {
      try {
        const { result, changed } =
          local || dryRun === 'client'
            ? patchLocally(target.obj, type, patch)
            : patchOnServer(ctx, args, target, type, patch, dryRun === 'server');
        // patch's printer takes no dry-run suffix (it is not built with PrintFlagsWithDryRunStrategy).
        const operation = changed ? 'patched' : 'patched (no change)';
        // kubectl asks for its printer for each object, after the patch.
        const output = args.flags.output as string;
        if (!output) ctx.stdout(successLine(target.info, result.metadata?.name || '<unknown>', operation));
        else
          ctx.stdout(
            printObjects(
              [result],
              parseOutputFormat(output, false, (args.flags.template as string) ?? ''),
              true,
              () => target.info,
            ),
          );
      } catch (error) {
        if (isStatusError(error)) errors.push(formatStatusError(error));
        else if (error instanceof HttpStatus)
          errors.push(
            error.reason === 'Invalid'
              ? `The request is invalid: ${error.message}`
              : `Error from server (${error.reason}): ${error.message}`,
          );
        else throw error;
      }
    }
    if (found.targets.length === 0 && errors.length === 0)
      throw new CommandError('no objects passed to patch');
    // ContinueOnError: the objects that could be patched were; the server's errors come last.
    for (const error of errors) ctx.stderr(error + '\n');
    return errors.length > 0 ? 1 : 0;
  },
};

/** A patch that starts like JSON but is not: why JSON.parse refused it. */
class InvalidJson {
  constructor(readonly reason: string) {}
}

/**
 * `-p` or `--patch-file` through apimachinery's yaml.ToJSON: text that starts with `{` is taken as JSON as it is
 * (so a broken one fails later, when the patch is applied), anything else is read as YAML.
 */
function readPatch(ctx: KubectlContext, text: string, file: string): unknown {
  let source = text;
  if (file) {
    const read = ctx.files.read(file);
    if (read === undefined)
      throw new CommandError(`unable to read patch file: open ${file}: no such file or directory`);
    source = read;
  }
  if (source.trimStart().startsWith('{')) {
    try {
      return JSON.parse(source) as unknown;
    } catch (error) {
      return new InvalidJson((error as Error).message);
    }
  }
  try {
    return parseYaml(source) as unknown;
  } catch (error) {
    throw new CommandError(`unable to parse "${text}": ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * getPatchedJSON: the patch applied to the object as read, nothing sent; its errors are the client's (a merge patch
 * that is not a JSON object is an invalid document). The result may have lost its metadata.
 */
function patchLocally(
  obj: KubeObject,
  type: PatchType,
  patch: unknown,
): { result: KubeObject; changed: boolean } {
  const isObject = typeof patch === 'object' && patch !== null && !Array.isArray(patch);
  if (patch instanceof InvalidJson || (type !== 'application/json-patch+json' && !isObject))
    throw new CommandError('invalid JSON document');
  let patched: unknown;
  try {
    patched = applyPatch(type, obj, patch);
  } catch (error) {
    if (error instanceof HttpStatus) throw new CommandError(error.message);
    throw error;
  }
  const result = (typeof patched === 'object' && patched !== null ? patched : {}) as KubeObject;
  return { result, changed: !deepEqual(obj, result) };
}

/** The API server's PATCH (an update when the object changes), then the change-cause as a second patch. */
function patchOnServer(
  ctx: KubectlContext,
  args: ParsedArgs,
  target: Target,
  type: PatchType,
  patch: unknown,
  serverDryRun: boolean,
): { result: KubeObject; changed: boolean } {
  const api = ctx.cluster.api;
  const current = target.obj;
  // The API server's answer to a body it cannot decode (http/body.ts), so both faces say the same.
  if (patch instanceof InvalidJson)
    throw new HttpStatus(
      400,
      'BadRequest',
      `the body of the request could not be decoded as JSON: ${patch.reason}`,
    );
  const patched = readable(applyPatch(type, current, patch));
  if (patched.metadata.name !== current.metadata.name)
    throw new HttpStatus(
      400,
      'BadRequest',
      `the name of the object (${patched.metadata.name}) does not match the name on the URL (${current.metadata.name})`,
    );
  // The path names the object: its kind and namespace are the URL's, as the API server's handler sets them.
  patched.kind = current.kind;
  if (current.metadata.namespace !== undefined) patched.metadata.namespace = current.metadata.namespace;
  patched.metadata.resourceVersion ||= current.metadata.resourceVersion;
  validateFields(ctx, patched, target.info, 'Warn', 'patch');
  const changed = !deepEqual(current, patched);
  // Under --as, `patch` is the verb authorised, as for kubectl's PATCH.
  const patcher = asKubectlRequest(ctx, {
    verb: 'patch',
    resource: target.info.resource,
    namespace: current.metadata.namespace,
    name: current.metadata.name,
  });
  let result = changed ? patcher.update(patched, { dryRun: serverDryRun }) : current;
  // The change-cause goes as a merge patch, without a resourceVersion: onto the object as it now is.
  if (!serverDryRun && args.flags.record === true) {
    const latest = api.get(target.info.resource, current.metadata.namespace, current.metadata.name);
    if (recordCommand(latest, ['patch'], args)) result = api.update(latest);
  }
  return { result, changed };
}

/** A patch may leave anything; the API server answers 422 for what is no longer an object with metadata. */
function readable(value: unknown): KubeObject {
  const obj = value as KubeObject | null;
  if (
    obj === null ||
    typeof obj !== 'object' ||
    Array.isArray(obj) ||
    typeof obj.metadata !== 'object' ||
    !obj.metadata
  )
    throw new HttpStatus(422, 'Invalid', 'the patch made the object unreadable');
  return obj;
}
