/** `kubectl autoscale`: an autoscaling HorizontalPodAutoscaler for a Deployment, ReplicaSet or StatefulSet. */
import type { HorizontalPodAutoscaler } from '../../api/workload-types';
import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import type { KubeObject } from '../../api/types';
import { hpaToV1 } from '../../http/autoscaling-v1';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';
import { recordCommand, RECORD_FLAG } from './record';
import { reportErrors, resolveTargets } from './shared';

const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets']);

export const autoscaleCommand: CommandDef = {
  path: ['autoscale'],
  short: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  usage:
    'kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]',
  flags: [
    flag.int(
      'min',
      undefined,
      -1,
      'The lower limit for the number of pods that can be set by the autoscaler.',
    ),
    flag.int(
      'max',
      undefined,
      -1,
      'The upper limit for the number of pods that can be set by the autoscaler.',
    ),
    flag.int('cpu-percent', undefined, -1, 'The target average CPU utilization over all the pods.'),
    flag.string('name', undefined, '', 'The name for the newly created object.'),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
  ],
  run(ctx, args) {
    if (!args.changed.has('max')) throw new CommandError('required flag(s) "max" not set');
    const output = args.flags.output as string;
    const format = output
      ? parseOutputFormat(output, false, (args.flags.template as string) ?? '')
      : undefined;
    const min = args.flags.min as number;
    const max = args.flags.max as number;
    const cpu = args.flags['cpu-percent'] as number;
    if (max < 1) throw new CommandError(`--max=MAXPODS is required and must be at least 1, max: ${max}`);
    if (max < min)
      throw new CommandError(
        `--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`,
      );
    const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
    const { targets, errors } = resolveTargets(ctx, args, args.positional);
    const hpaInfo = ctx.cluster.api.resourceFor('horizontalpodautoscalers');
    for (const { info, obj } of targets) {
      if (!SCALABLE.has(info.resource))
        throw new CommandError(`cannot autoscale a ${info.kind}: cannot autoscale a ${info.kind}`);
      const name = (args.flags.name as string) || obj.metadata.name;
      const hpa: HorizontalPodAutoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace: obj.metadata.namespace },
        spec: {
          scaleTargetRef: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name },
          ...(min >= 0 ? { minReplicas: min } : {}),
          maxReplicas: max,
          ...(cpu >= 0
            ? {
                metrics: [
                  {
                    type: 'Resource' as const,
                    resource: {
                      name: 'cpu',
                      target: { type: 'Utilization' as const, averageUtilization: cpu },
                    },
                  },
                ],
              }
            : {}),
        },
      };
      // kubectl records the command line on the autoscaler it creates.
      recordCommand(hpa, ['autoscale'], args);
      const created =
        dryRun !== 'client' ? ctx.cluster.api.create(hpa, { dryRun: dryRun === 'server' }) : hpa;
      if (!hpaInfo) continue;
      if (format) {
        // kubectl 1.30 builds an autoscaling/v1 object and prints it typed (so a status without replica counts
        // reads as zeros): on a client dry run as built (no namespace, no creationTimestamp), otherwise as the API
        // server answers it in v1.
        const base =
          dryRun === 'client'
            ? ({
                ...hpa,
                metadata: { ...hpa.metadata, namespace: undefined, creationTimestamp: null },
              } as unknown)
            : created;
        const v1 = hpaToV1(base as KubeObject);
        const shown = { ...v1, status: { currentReplicas: 0, desiredReplicas: 0, ...(v1.status ?? {}) } };
        ctx.stdout(printObjects([shown], format, true, () => hpaInfo, true));
      } else ctx.stdout(successLine(hpaInfo, name, withDryRunSuffix('autoscaled', dryRun)));
    }
    return reportErrors(ctx, errors);
  },
};
