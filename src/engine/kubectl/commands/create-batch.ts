/**
 * `kubectl create job NAME --image=IMAGE [-- COMMAND]`, `kubectl create job NAME --from=cronjob/NAME` and
 * `kubectl create cronjob NAME --image=IMAGE --schedule=SPEC [--restart=OnFailure|Never] [-- COMMAND]`: the objects
 * kubectl v1.30's generators build (create_job.go, create_cronjob.go; reference breadth §5.2, §5.4).
 */
import { StatusError } from '../../api/status-error';
import type { CronJob, Job, KubeObject } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, UsageError } from '../context';
import { GENERATOR_FLAGS } from './create-config';
import { createAndPrint } from './create-output';

function nameAndCommand(args: ParsedArgs): { name: string; command: string[] } {
  const dash = args.argsLenAtDash;
  const names = dash >= 0 ? args.positional.slice(0, dash) : args.positional;
  if (names.length !== 1) throw new UsageError(`exactly one NAME is required, got ${names.length}`);
  return { name: names[0], command: dash >= 0 ? args.positional.slice(dash) : [] };
}

function create(ctx: KubectlContext, args: ParsedArgs, obj: KubeObject, what: string): void {
  if (args.changed.has('namespace') || !obj.metadata.namespace) obj.metadata.namespace = namespaceFlag(args);
  createAndPrint(ctx, args, obj, 'created', (o, opts) => {
    try {
      return ctx.cluster.api.create(o, opts);
    } catch (error) {
      if (error instanceof StatusError) throw new CommandError(`failed to create ${what}: ${error.message}`);
      throw error;
    }
  });
}

export const createJobCommand: CommandDef = {
  path: ['create', 'job'],
  short: 'Create a job with the specified name',
  usage: 'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    flag.string('image', undefined, '', 'Image name to run.'),
    flag.string(
      'from',
      undefined,
      '',
      'The name of the resource to create a Job from (only cronjob is supported).',
    ),
  ],
  run(ctx, args) {
    const { name, command } = nameAndCommand(args);
    const image = args.flags.image as string;
    const from = args.flags.from as string;
    // create_job.go Validate: exactly one of --image and --from; no command with --from.
    if ((image === '') === (from === ''))
      throw new CommandError('either --image or --from must be specified');
    if (from && command.length > 0) throw new CommandError('cannot specify --from and command');
    if (!from) {
      const job: Job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name },
        spec: {
          template: {
            metadata: { creationTimestamp: null },
            spec: {
              containers: [{ name, image, ...(command.length ? { command } : {}), resources: {} }],
              restartPolicy: 'Never',
            },
          },
        },
      };
      return create(ctx, args, job, 'job');
    }
    const slash = from.indexOf('/');
    const type = slash < 0 ? from : from.slice(0, slash);
    const info = ctx.cluster.api.resourceFor(type);
    if (slash < 0 || !info)
      throw new CommandError(`the server doesn't have a resource type "${slash < 0 ? from : type}"`);
    if (info.resource !== 'cronjobs')
      throw new CommandError(`unknown object type ${info.kind.replace(/^(.)/, (c) => c)}`);
    const cj = ctx.cluster.api.get<CronJob>('cronjobs', namespaceFlag(args), from.slice(slash + 1));
    const template = cj.spec.jobTemplate;
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: namespaceFlag(args),
        ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
        annotations: {
          'cronjob.kubernetes.io/instantiate': 'manual',
          ...(template.metadata?.annotations ?? {}),
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cj.metadata.name,
            uid: cj.metadata.uid!,
            controller: true,
          },
        ],
      },
      spec: structuredClone(template.spec),
    };
    return create(ctx, args, job, 'job');
  },
};

export const createCronJobCommand: CommandDef = {
  path: ['create', 'cronjob'],
  aliases: ['cj'],
  short: 'Create a cron job with the specified name',
  usage:
    "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    flag.string('image', undefined, '', 'Image name to run.'),
    flag.string('schedule', undefined, '', 'A schedule in the Cron format the job should be run with.'),
    flag.string('restart', undefined, '', "job's restart policy. supported values: OnFailure, Never"),
  ],
  run(ctx, args) {
    const missing = ['image', 'schedule'].filter((f) => !args.changed.has(f));
    if (missing.length)
      throw new CommandError(`required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set`);
    const { name, command } = nameAndCommand(args);
    const restart = (args.flags.restart as string) || 'OnFailure';
    const cronJob: CronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name },
      spec: {
        schedule: args.flags.schedule as string,
        jobTemplate: {
          metadata: { name, creationTimestamp: null },
          spec: {
            template: {
              metadata: { creationTimestamp: null },
              spec: {
                containers: [
                  {
                    name,
                    image: args.flags.image as string,
                    ...(command.length ? { command } : {}),
                    resources: {},
                  },
                ],
                restartPolicy: restart as 'OnFailure',
              },
            },
          },
        },
      },
    };
    create(ctx, args, cronJob, 'cronjob');
  },
};
