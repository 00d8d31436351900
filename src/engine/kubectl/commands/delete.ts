import { isStatusError } from '../../api/status-error';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { kindWithGroup } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { targetsFromFiles } from './delete-files';
import { asKubectlRequest } from '../impersonation';
import { reportErrors, resolveTargets, Target } from './shared';

export const deleteCommand: CommandDef = {
  path: ['delete'],
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  flags: [
    flag.selector(),
    flag.bool(
      'all',
      undefined,
      false,
      'Delete all resources, in the namespace of the specified resource types.',
    ),
    flag.allNamespaces(),
    flag.int(
      'grace-period',
      undefined,
      -1,
      'Period of time in seconds given to the resource to terminate gracefully.',
    ),
    flag.bool(
      'force',
      undefined,
      false,
      'If true, immediately remove resources from API and bypass graceful deletion.',
    ),
    flag.bool(
      'now',
      undefined,
      false,
      'If true, resources are signaled for immediate shutdown (same as --grace-period=1).',
    ),
    flag.bool('wait', undefined, true, 'If true, wait for resources to be gone before returning.'),
    flag.bool('ignore-not-found', undefined, false, 'Treat "resource not found" as a successful delete.'),
    DRY_RUN_FLAG,
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'containing the resource to delete.',
    },
  ],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (args.flags.now && args.changed.has('grace-period'))
      throw new CommandError('--now and --grace-period cannot be specified together');
    if ((args.flags.all as boolean) && args.flags.selector)
      throw new CommandError('cannot set --all and --selector at the same time');
    if (
      files.length === 0 &&
      args.positional.length === 0 &&
      (args.flags.selector || (args.flags.all as boolean))
    )
      throw new CommandError('at least one resource must be specified to use a selector');
    const { targets, errors } =
      files.length > 0
        ? await targetsFromFiles(ctx, args, files, 'deleting')
        : resolveTargets(ctx, args, args.positional, { allowSelector: true, requestVerb: 'delete' });
    const selecting = !!args.flags.selector || (args.flags.all as boolean);
    const visibleErrors = (args.flags['ignore-not-found'] as boolean) ? [] : errors;
    if (targets.length === 0 && selecting && visibleErrors.length === 0) {
      ctx.stdout('No resources found\n');
      return 0;
    }
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    let grace = args.flags['grace-period'] as number;
    if (args.flags.now) grace = 1;
    const force = args.flags.force as boolean;
    if (force && grace < 0) grace = 0;
    if (force)
      ctx.stderr(
        'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
      );
    const deleted: Target[] = [];
    for (const target of targets) {
      const { info, obj } = target;
      try {
        if (dryRun !== 'client')
          ctx.cluster.api.delete(info.resource, obj.metadata.namespace, obj.metadata.name, {
            ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
            ...(dryRun === 'server' ? { dryRun: true } : {}),
          });
      } catch (error) {
        if (isStatusError(error, 'NotFound')) continue;
        throw error;
      }
      const operation = withDryRunSuffix(grace === 0 ? 'force deleted' : 'deleted', dryRun);
      ctx.stdout(`${kindWithGroup(info)} "${obj.metadata.name}" ${operation}\n`);
      if (dryRun !== 'none') continue;
      deleted.push(target);
    }
    if ((args.flags.wait as boolean) && grace !== 0) {
      ctx.cluster.sync();
      while (deleted.some((t) => stillThere(ctx, t))) await waitForClusterChange(ctx);
    }
    return reportErrors(ctx, visibleErrors);
  },
};

function stillThere(ctx: Parameters<CommandDef['run']>[0], target: Target): boolean {
  try {
    // Waiting is kubectl's bookkeeping after the DELETE it was allowed to send: no new denial comes of it.
    const reader = asKubectlRequest(ctx, {
      verb: 'delete',
      resource: target.info.resource,
      namespace: target.obj.metadata.namespace,
      name: target.obj.metadata.name,
    });
    const current = reader.get(target.info.resource, target.obj.metadata.namespace, target.obj.metadata.name);
    return current.metadata.uid === target.obj.metadata.uid;
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return false;
    throw error;
  }
}
