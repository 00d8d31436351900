/**
 * `kubectl replace -f FILE|DIR|-`: each manifest's object replaces the live one whole (kubectl's PUT; without a
 * resourceVersion in the manifest the server takes it unconditionally). A missing object is kubectl's
 * `Error from server (NotFound): error when replacing "FILE": ...`. With `--force` it is kubectl's forceReplace
 * instead: every object is deleted (a missing one is no error), kubectl waits until each is gone, then creates them
 * all again (`pod "web" deleted`, then `pod/web replaced`). `-o yaml|json|jsonpath=...|go-template=...` prints each
 * object the server answered (unstructured: sorted keys) instead of its success line, `-o name` its `kind/name`;
 * forceReplace's delete lines follow -o too (`configmap/rep` under `-o name`, `configmap "rep" deleted` otherwise).
 */
import { isStatusError, StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { formatStatusError } from '../errors';
import { type OutputFormat, parseOutputFormat, printObjects, successLine } from '../output';
import { kindWithGroup } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { parseGoDuration } from './rollout-status';
import { readManifests } from './apply';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';

export const replaceCommand: CommandDef = {
  path: ['replace'],
  short: 'Replace a resource by file name or stdin',
  usage: 'kubectl replace -f FILENAME [options]',
  flags: [
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'The files that contain the configurations to replace.',
    },
    flag.output(),
    DRY_RUN_FLAG,
    flag.bool('force', undefined, false, 'If true, delete the resources and create them again.'),
    flag.int(
      'grace-period',
      undefined,
      -1,
      'Period of time in seconds given to the resource to terminate gracefully.',
    ),
    flag.string('timeout', undefined, '0s', 'The length of time to wait before giving up on a delete.'),
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    const force = args.flags.force as boolean;
    const timeoutMs = parseGoDuration(args.flags.timeout as string);
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    // Complete makes the printer before Validate checks anything: a bad -o is the first error, and deletes nothing.
    const output = args.flags.output as string;
    const format = output ? parseOutputFormat(output, false) : undefined;
    if (files.length === 0) throw new CommandError('must specify one of -f and -k');
    // ReplaceOptions.Validate, in its order.
    if ((args.flags['grace-period'] as number) >= 0 && !force)
      throw new CommandError('--grace-period must have --force specified');
    if (timeoutMs !== 0 && !force) throw new CommandError('--timeout must have --force specified');
    if (force && dryRun !== 'none') throw new CommandError('--dry-run can not be used when --force is set');
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const manifests: Manifest[] = [];
    for (const { source, obj } of await readManifests(ctx, files)) {
      const info = ctx.cluster.api.resourceFor(obj.kind);
      if (!info)
        throw new CommandError(
          `resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
        );
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      manifests.push({ source, obj, info });
    }
    if (force) return forceReplace(ctx, args, manifests, timeoutMs, format);
    const api = ctx.cluster.api;
    let code = 0;
    for (const { source, obj, info } of manifests) {
      try {
        // kubectl PUTs straight away: a missing object is the update's NotFound (a PUT never creates here), a
        // denial names `update`. A client dry run asks the server nothing.
        const result = dryRun === 'client' ? obj : api.update(obj, { dryRun: dryRun === 'server' });
        ctx.stdout(printReplaced(result, info, format, withDryRunSuffix('replaced', dryRun)));
      } catch (error) {
        if (!isStatusError(error)) throw error;
        ctx.stderr(sourcedError(error, 'replacing', source));
        code = 1;
      }
    }
    return code;
  },
};

/** The printer's answer for one replaced object: the format asked for, else the name printer's success line. */
function printReplaced(
  obj: KubeObject,
  info: ResourceInfo,
  format: OutputFormat | undefined,
  operation: string,
) {
  return format
    ? printObjects([obj], format, true, () => info)
    : successLine(info, obj.metadata.name, operation);
}

interface Manifest {
  source: string;
  obj: KubeObject;
  info: ResourceInfo;
}

/** kubectl's AddSourceToErr: the server's message names the manifest it came from. */
function sourcedError(error: StatusError, verb: string, source: string): string {
  const message = `error when ${verb} "${source}": ${error.status.message}`;
  return formatStatusError(new StatusError({ ...error.status, message })) + '\n';
}

/**
 * forceReplace: DELETE each object (background cascade; `--grace-period=0` is sent as 1, as kubectl converts it),
 * poll until every deleted object is gone (five minutes unless --timeout says otherwise), then POST each manifest
 * with its resourceVersion cleared.
 */
async function forceReplace(
  ctx: KubectlContext,
  args: ParsedArgs,
  manifests: Manifest[],
  timeoutMs: number,
  format: OutputFormat | undefined,
): Promise<number> {
  const api = ctx.cluster.api;
  let grace = args.flags['grace-period'] as number;
  if (grace === 0) grace = 1;
  const deleted: { info: ResourceInfo; namespace?: string; name: string; uid?: string }[] = [];
  for (const { source, obj, info } of manifests) {
    const { namespace, name } = obj.metadata;
    try {
      const live = api.get(info.resource, namespace, name);
      api.delete(info.resource, namespace, name, grace >= 0 ? { gracePeriodSeconds: grace } : {});
      deleted.push({ info, namespace, name, uid: live.metadata.uid });
    } catch (error) {
      if (isStatusError(error, 'NotFound')) continue;
      if (!isStatusError(error)) throw error;
      ctx.stderr(sourcedError(error, 'deleting', source));
      return 1;
    }
    // DeleteOptions.PrintObj: the name printer's `kind/name` under -o name, its sentence otherwise.
    ctx.stdout(
      format?.kind === 'name'
        ? `${kindWithGroup(info)}/${name}\n`
        : `${kindWithGroup(info)} "${name}" deleted\n`,
    );
  }
  const deadline = ctx.cluster.clock.now() + (timeoutMs > 0 ? timeoutMs : 5 * 60_000);
  ctx.cluster.sync();
  while (deleted.some((d) => liveUid(ctx, d.info, d.namespace, d.name) === d.uid)) {
    if (ctx.cluster.clock.now() >= deadline) throw new CommandError('timed out waiting for the condition');
    await waitForClusterChange(ctx, deadline);
  }
  let code = 0;
  for (const { source, obj, info } of manifests) {
    delete obj.metadata.resourceVersion;
    try {
      ctx.stdout(printReplaced(api.create(obj), info, format, 'replaced'));
    } catch (error) {
      if (!isStatusError(error)) throw error;
      ctx.stderr(sourcedError(error, 'replacing', source));
      code = 1;
    }
  }
  return code;
}

function liveUid(ctx: KubectlContext, info: ResourceInfo, namespace: string | undefined, name: string) {
  try {
    return ctx.cluster.api.get(info.resource, namespace, name).metadata.uid;
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return undefined;
    throw error;
  }
}
