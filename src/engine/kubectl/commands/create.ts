import type { ResourceInfo } from '../../api/resources';
import { isStatusError, StatusError } from '../../api/status-error';
import type { Container, Deployment, KubeObject, Pod } from '../../api/types';
import { FlagSpec, findCommandWords, parseArgs, type ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag, withGlobalFlags } from '../command';
import { CommandError, KubectlContext, UsageError } from '../context';
import { formatError, formatStatusError } from '../errors';
import { parseOutputFormat, printObjects, successLine } from '../output';
import { flagsFor, rejectUnavailableFlags } from '../real-kubectl';
import { actingUser, IMPERSONATION_FLAGS, impersonatingContext } from '../impersonation';
import { noteNamespace } from '../effects';
import { readManifests } from './apply';
import { VALIDATE_FLAG, validateFields, validationDirective } from './validate-flag';
import {
  createAndPrint,
  createThenPrint,
  DRY_RUN_FLAG,
  dryRunStrategy,
  withDryRunSuffix,
} from './create-output';
import { runService } from './run-expose';
import { applyRunOverrides } from './run-overrides';
import { attachableShell, loneShell, runAttached } from './run-attach';
import { networkClient, runAttachedProgram } from './run-attach-program';
import type { WriteOptions } from '../../server/api-server';
import { recordCommand, RECORD_FLAG } from './record';

/** §4.3: the container name kubectl derives from an image reference. */
export function containerNameFromImage(image: string): string {
  let name = image.slice(image.lastIndexOf('/') + 1);
  name = name.split('@')[0].split(':')[0];
  if (/[._]/.test(name)) name = `${name.replace(/[._]/g, '-')}-${pseudoRandomSuffix(image)}`;
  return name;
}

/** Five characters from the alphabet of §4.2, derived from the text so the result is reproducible. */
function pseudoRandomSuffix(text: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let hash = 2166136261;
  for (const c of text) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += alphabet[hash % alphabet.length];
    hash = (Math.floor(hash / alphabet.length) + Math.imul(hash, 31)) >>> 0;
  }
  return out;
}

export const createDeploymentCommand: CommandDef = {
  path: ['create', 'deployment'],
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  flags: [
    { name: 'image', type: 'stringSlice', default: [], description: 'Image names to run.' },
    flag.int('replicas', 'r', 1, 'Number of replicas to create. Default is 1.'),
    flag.int('port', undefined, -1, 'The containerPort that this deployment exposes.'),
    flag.output(),
    DRY_RUN_FLAG,
  ],
  run(ctx, args) {
    const images = args.flags.image as string[];
    // cobra's required-flag check: the flag must be given, even empty (`--image=` makes no container).
    if (!args.changed.has('image')) throw new CommandError('required flag(s) "image" not set');
    const dash = args.argsLenAtDash;
    const names = dash >= 0 ? args.positional.slice(0, dash) : args.positional;
    const command = dash >= 0 ? args.positional.slice(dash) : [];
    if (names.length !== 1) throw new UsageError(`exactly one NAME is required, got ${names.length}`);
    if (images.length > 1 && command.length > 0)
      throw new CommandError('cannot specify multiple --image options and command');
    const name = names[0];
    const port = args.flags.port as number;
    const containers: Container[] = images.map((image) => {
      const container: Container = { name: containerNameFromImage(image), image };
      // Container.image is `omitempty` (`--image=a,` makes a second container without one); name is not.
      if (image === '') delete (container as Partial<Container>).image;
      if (command.length > 0) container.command = command;
      if (port >= 0) container.ports = [{ containerPort: port }];
      container.resources = {};
      return container;
    });
    const labels = { app: name };
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: namespaceFlag(args), labels: { ...labels } },
      spec: {
        replicas: args.flags.replicas as number,
        selector: { matchLabels: { ...labels } },
        template: { metadata: { labels: { ...labels }, creationTimestamp: null }, spec: { containers } },
      },
    };
    createAndPrint(ctx, args, deployment, 'created', (obj, opts) => {
      try {
        return ctx.cluster.api.create(obj, opts);
      } catch (error) {
        if (error instanceof StatusError)
          throw new CommandError(`failed to create deployment: ${error.message}`);
        throw error;
      }
    });
  },
};

export const runCommand: CommandDef = {
  path: ['run'],
  short: 'Run a particular image on the cluster',
  usage:
    'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    flag.string('image', undefined, '', 'The image for the container to run.'),
    flag.string('port', undefined, '', 'The port that this container exposes.'),
    flag.string('labels', 'l', '', 'Comma separated labels to apply to the pod(s).'),
    {
      name: 'env',
      type: 'stringArray',
      default: [],
      description: 'Environment variables to set in the container.',
    },
    flag.string('restart', undefined, 'Always', 'The restart policy for this Pod.'),
    flag.bool(
      'command',
      undefined,
      false,
      'If true and extra arguments are present, use them as the command field.',
    ),
    flag.string('image-pull-policy', undefined, '', 'The image pull policy for the container.'),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
    flag.bool('stdin', 'i', false, 'Keep stdin open on the container in the pod.'),
    flag.bool('tty', 't', false, 'Allocate a TTY for the container in the pod.'),
    flag.bool('rm', undefined, false, 'If true, delete the pod after it exits.'),
    flag.bool('expose', undefined, false, 'If true, create a ClusterIP service associated with the pod.'),
    flag.string('overrides', undefined, '', 'An inline JSON override for the generated object.'),
    flag.string('override-type', undefined, 'merge', 'The method used to override the generated object.'),
    flag.bool('quiet', 'q', false, 'If true, suppress prompt messages.'),
    flag.string('pod-running-timeout', undefined, '1m0s', 'How long to wait until the pod is running.'),
  ],
  run(ctx, args) {
    const image = args.flags.image as string;
    const dash = args.argsLenAtDash;
    const names = dash >= 0 ? args.positional.slice(0, dash) : args.positional.slice(0, 1);
    const extra = dash >= 0 ? args.positional.slice(dash) : args.positional.slice(1);
    // kubectl run's checks, in its order: the required flag, NAME, -t without -i, the restart policy, --rm without
    // attaching, the image pull policy, then the labels.
    if (!image) throw new CommandError('required flag(s) "image" not set');
    if (names.length === 0) throw new UsageError('NAME is required for run');
    if (args.flags.tty && !args.flags.stdin)
      throw new UsageError('-i/--stdin is required for containers with -t/--tty=true');
    if (args.flags.expose && !args.flags.port)
      throw new UsageError('--port must be set when exposing a service');
    const restart = args.flags.restart as string;
    if (!['Always', 'OnFailure', 'Never'].includes(restart))
      throw new UsageError(`invalid restart policy: ${restart}`);
    if (args.flags.rm && !args.flags.stdin)
      throw new UsageError('--rm should only be used for attached containers');
    const pullPolicy = args.flags['image-pull-policy'] as string;
    if (!['', 'Always', 'IfNotPresent', 'Never'].includes(pullPolicy))
      throw new UsageError(`invalid image pull policy: ${pullPolicy}`);
    const name = names[0];
    const labels: Record<string, string> = {};
    if (args.flags.labels) {
      for (const pair of (args.flags.labels as string).split(',')) {
        const [key, value, more] = pair.split('=');
        if (value === undefined || more !== undefined)
          throw new CommandError(`unexpected label spec: ${pair}`);
        labels[key] = value;
      }
    } else labels.run = name;
    const container: Container = { name, image, resources: {} };
    if (extra.length > 0) {
      if (args.flags.command) container.command = extra;
      else container.args = extra;
    }
    if (args.flags.port) {
      const port = Number(args.flags.port);
      if (!Number.isInteger(port))
        throw new CommandError(`strconv.Atoi: parsing "${args.flags.port}": invalid syntax`);
      container.ports = [{ containerPort: port }];
    }
    const env = (args.flags.env as string[]).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CommandError(`invalid env: ${pair}`);
      return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
    if (env.length > 0) container.env = env;
    const policy = args.flags['image-pull-policy'] as string;
    if (policy) container.imagePullPolicy = policy as Container['imagePullPolicy'];
    let pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: namespaceFlag(args), labels },
      spec: {
        containers: [container],
        restartPolicy: restart as Pod['spec']['restartPolicy'],
        dnsPolicy: 'ClusterFirst',
      },
    };
    if (args.flags.overrides)
      pod = applyRunOverrides(pod, args.flags.overrides as string, args.flags['override-type'] as string);
    recordCommand(pod, ['run'], args);
    if (args.flags.stdin) {
      if (args.flags['dry-run'] !== 'none')
        throw new CommandError(
          "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        );
      const shell = attachableShell(ctx, pod);
      // A shell needs the lab terminal's pod shell to type into; --expose and -o are not done while attached.
      if ((!shell && loneShell(pod)) || args.flags.expose || args.flags.output)
        throw new CommandError(
          'kubectl run -i (attaching to the new pod) is available in this lab terminal for a shell (kubectl run NAME -it --image=busybox -- sh) and for programs (kubectl run NAME -it --rm --image=busybox -- date), without --expose or -o; otherwise run the pod, then use kubectl exec -ti NAME -- sh',
        );
      const attach = {
        remove: args.flags.rm as boolean,
        tty: args.flags.tty as boolean,
        quiet: args.flags.quiet as boolean,
        runningTimeout: args.flags['pod-running-timeout'] as string,
      };
      if (shell) return runAttached(ctx, pod, shell, attach);
      const client = networkClient(pod);
      if (client)
        throw new CommandError(
          `kubectl run -i with ${client} as the pod's program is not available in this lab terminal: run a pod that stays up (kubectl run client --image=busybox:1.36 -- sleep 3600), then kubectl exec client -- ${client} ...`,
        );
      return runAttachedProgram(ctx, pod, attach);
    }
    const create = (obj: KubeObject, opts: WriteOptions) => ctx.cluster.api.create(obj, opts);
    const printPod = createThenPrint(ctx, args, pod, 'created', create);
    if (!args.flags.expose) return printPod();
    // The pod is created first, then its Service; kubectl prints the Service first, and a failed Service
    // (it exists) is reported after the pod's line.
    const service = runService(
      name,
      pod.metadata.namespace!,
      labels,
      !!args.flags.labels,
      Number(args.flags.port),
    );
    let printService: () => void;
    try {
      printService = createThenPrint(ctx, args, service, 'created', create);
    } catch (error) {
      printPod();
      throw error;
    }
    printService();
    // generateService separates the two YAML documents itself, and the printer adds its own separator too.
    if (args.flags.output === 'yaml') ctx.stdout('---\n---\n');
    printPod();
  },
};

const FILENAME_FLAG: FlagSpec = {
  name: 'filename',
  shorthand: 'f',
  type: 'stringArray',
  default: [],
  description: 'Filename, directory, or URL to files to use to create the resource',
};

/**
 * `kubectl create -f FILE|-`: creates every object of the manifests; an object that cannot be created (it exists)
 * does not stop the others, and the errors follow the created lines, exit 1 (reference kubectl-breadth §12.2).
 */
export const createFromFilesCommand: CommandDef = {
  path: ['create'],
  short: 'Create a resource from a file or from stdin',
  usage: 'kubectl create -f FILENAME [options]',
  flags: [FILENAME_FLAG, flag.output(), DRY_RUN_FLAG, RECORD_FLAG, VALIDATE_FLAG],
  async run(ctx, args) {
    const files = args.flags.filename as string[];
    if (args.positional.length > 0) throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    const directive = validationDirective(args);
    // A client dry run is settled before the files are read (with its deprecation warning, once).
    const dryRunValue = args.flags['dry-run'] as string;
    const clientDryRun =
      ['client', 'unchanged', 'true'].includes(dryRunValue) && dryRunStrategy(ctx, dryRunValue) === 'client';
    const manifests = await readManifests(ctx, files);
    if (manifests.length === 0) throw new CommandError('no objects passed to create');
    const api = ctx.cluster.api;
    const errors: string[] = [];
    let printed = 0;
    for (const { source, obj } of manifests) {
      const info = api.resourceFor(obj.kind);
      if (!info) {
        errors.push(
          `error: resource mapping not found for name: "${obj.metadata?.name}" namespace: "" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\n`,
        );
        continue;
      }
      if (info.namespaced) obj.metadata.namespace ??= namespaceFlag(args);
      try {
        recordCommand(obj, ['create'], args);
        if (clientDryRun) {
          printClientDryRun(ctx, args, obj, info, printed++);
          continue;
        }
        createAndPrint(
          ctx,
          args,
          obj,
          'created',
          (o, opts) => {
            validateFields(ctx, o, info, directive, 'create');
            return api.create(o, opts);
          },
          false,
        );
      } catch (error) {
        if (!isStatusError(error)) throw error;
        // kubectl's AddSourceToErr: the server's message names the manifest it came from.
        const sourced = new StatusError({
          ...error.status,
          message: `error when creating "${source}": ${error.status.message}`,
        });
        errors.push(`${formatStatusError(sourced)}\n`);
      }
    }
    for (const error of errors) ctx.stderr(error);
    return errors.length > 0 ? 1 : 0;
  },
};

/**
 * `create -f --dry-run=client`: kubectl sends nothing and prints the object as the builder read it (the manifest,
 * its namespace defaulted, the change-cause if recorded; no creationTimestamp, no status), as an unstructured
 * object (sorted keys), through one printer for all the objects (YAML documents after the first open with `---`).
 */
function printClientDryRun(
  ctx: KubectlContext,
  args: ParsedArgs,
  obj: KubeObject,
  info: ResourceInfo,
  count: number,
): void {
  const output = args.flags.output as string;
  if (!output) {
    ctx.stdout(successLine(info, obj.metadata.name, withDryRunSuffix('created', 'client')));
    return;
  }
  const format = parseOutputFormat(output, false, (args.flags.template as string) ?? '');
  const separator = format.kind === 'yaml' && count > 0 ? '---\n' : '';
  ctx.stdout(separator + printObjects([obj], format, true, () => info));
}

/** `kubectl create ... -f ...` without a subcommand (argv without `kubectl`); `-h` stays with kubectl's help. */
export function isCreateFromFiles(args: readonly string[]): boolean {
  // kubectl's global flags (`--as jane`) take values too: those values are not command words.
  const words = findCommandWords(args, flagsFor('create', withGlobalFlags(createFromFilesCommand.flags)), 2);
  if (words.length !== 1 || args[words[0]] !== 'create') return false;
  if (args.includes('-h') || args.includes('--help')) return false;
  return args.some((arg) => arg === '-f' || arg === '--filename' || /^(-f.|--filename=)/.test(arg));
}

/** Runs `kubectl create -f ...` with kubectl's flag parsing and error printing. */
export async function runCreateFromFiles(args: readonly string[], ctx: KubectlContext): Promise<number> {
  try {
    const own = withGlobalFlags(createFromFilesCommand.flags);
    const verb = findCommandWords(args, own, 1)[0];
    const parsed = parseArgs(
      args.filter((_, i) => i !== verb),
      flagsFor('create', own),
    );
    for (const warning of parsed.warnings) ctx.stderr(`${warning}\n`);
    rejectUnavailableFlags(parsed, [...own, ...IMPERSONATION_FLAGS]);
    noteNamespace(ctx, parsed.flags);
    // `--as`/`--as-group`: every create is authorised for that user, as runKubectl does for other commands.
    const acting = parsed.changed.has('as') || parsed.changed.has('as-group');
    const runCtx = acting ? impersonatingContext(ctx, actingUser(parsed)) : ctx;
    const code = await createFromFilesCommand.run(runCtx, parsed);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    const { text, exitCode } = formatError(error, 'kubectl create');
    if (text) ctx.stderr(text);
    return exitCode;
  }
}
