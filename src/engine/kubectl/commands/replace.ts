/**
 * `kubectl replace -f FILE|DIR|-`: each manifest's object replaces the live one whole (kubectl's PUT; without a
 * resourceVersion in the manifest the server takes it unconditionally). A missing object is kubectl's
 * `Error from server (NotFound): error when replacing "FILE": ...`. With `--force` it is kubectl's forceReplace
 * instead: every object is deleted (a missing one is no error), kubectl waits until each is gone, then creates them
 * all again (`pod "web" deleted`, then `pod/web replaced`).
 */
import { isStatusError, StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { formatStatusError } from '../errors';
import { successLine } from '../output';
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
    if (files.length === 0) throw new CommandError('must specify one of -f and -k');
    const force = args.flags.force as boolean;
    const timeoutMs = parseGoDuration(args.flags.timeout as string);
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
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
    if (force) return forceReplace(ctx, args, manifests, timeoutMs);
    const api = ctx.cluster.api;
    let code = 0;
    for (const { source, obj, info } of manifests) {
      try {
        // kubectl PUTs straight away: a missing object is the update's NotFound (a PUT never creates here), a
        // denial names `update`. A client dry run asks the server nothing.
        if (dryRun !== 'client') api.update(obj, { dryRun: dryRun === 'server' });
      } catch (error) {
        if (!isStatusError(error)) throw error;
        ctx.stderr(sourcedError(error, 'replacing', source));
        code = 1;
        continue;
      }
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('replaced', dryRun)));
    }
    return code;
  },
};

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
    ctx.stdout(`${kindWithGroup(info)} "${name}" deleted\n`);
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
      api.create(obj);
    } catch (error) {
      if (!isStatusError(error)) throw error;
      ctx.stderr(sourcedError(error, 'replacing', source));
      code = 1;
      continue;
    }
    ctx.stdout(successLine(info, obj.metadata.name, 'replaced'));
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
