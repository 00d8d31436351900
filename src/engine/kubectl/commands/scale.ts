import type { Deployment, ReplicaSet } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { asKubectlRequest } from '../impersonation';
import { successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { reportErrors, resolveTargets } from './shared';

export const scaleCommand: CommandDef = {
  path: ['scale'],
  short: 'Set a new size for a deployment, replica set, or replication controller',
  usage:
    'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  flags: [
    flag.int('replicas', undefined, -1, 'The new desired number of replicas. Required.'),
    flag.int('current-replicas', undefined, -1, 'Precondition for current size.'),
    RECORD_FLAG,
    DRY_RUN_FLAG,
    flag.selector(),
    flag.bool(
      'all',
      undefined,
      false,
      'Select all resources in the namespace of the specified resource types',
    ),
  ],
  run(ctx, args) {
    // cobra's required-flag check comes before the command runs.
    if (!args.changed.has('replicas')) throw new CommandError('required flag(s) "replicas" not set');
    const replicas = args.flags.replicas as number;
    if (replicas < 0)
      throw new CommandError(
        'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0',
      );
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    // Nothing readable (NotFound, Forbidden) is kubectl's "no objects"; otherwise the read errors follow.
    const { targets, errors } = resolveTargets(ctx, args, args.positional, { allowSelector: true });
    if (targets.length === 0) throw new CommandError('no objects passed to scale');
    for (const { info, obj } of targets) {
      if (!['deployments', 'replicasets', 'statefulsets'].includes(info.resource))
        throw new CommandError(`no scaler has been implemented for {"${info.group}" "${info.kind}"}`);
      const scalable = obj as Deployment | ReplicaSet;
      const current = args.flags['current-replicas'] as number;
      if (current >= 0 && (scalable.spec.replicas ?? 1) !== current)
        throw new CommandError(`Expected replicas to be ${current}, was ${scalable.spec.replicas ?? 1}`);
      scalable.spec.replicas = replicas;
      recordCommand(scalable, ['scale'], args);
      // kubectl PATCHes the scale subresource: under --as, that is the request authorised.
      const scaler = asKubectlRequest(ctx, {
        verb: 'patch',
        resource: info.resource,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        subresource: 'scale',
      });
      if (dryRun !== 'client') scaler.update(scalable, { dryRun: dryRun === 'server' });
      ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('scaled', dryRun)));
    }
    return reportErrors(ctx, errors);
  },
};
