/**
 * `kubectl logs`: one pod (or the pod a workload reference picks), `-l` for every matching pod, `-c`,
 * `--all-containers`, `--prefix`, `-p/--previous`, `--tail`, `--since`/`--since-time`, `--timestamps`, `-f`.
 * Without `-c` on a pod with several (or init) containers kubectl names the container it defaulted to.
 */
import type { Container, Pod } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, UsageError } from '../context';
import { waitForClusterChange } from '../wait';
import { resolvePod } from './logs-exec';

const allContainers = (pod: Pod): Container[] => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];

/** podcmd.AllContainerNames: the containers, then the init containers marked `(init)`. */
function containerNames(pod: Pod): string {
  return [
    ...pod.spec.containers.map((c) => c.name),
    ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`),
  ].join(', ');
}

/** The container logs are read from, saying which one was picked when the pod has a choice. */
function pickContainer(ctx: KubectlContext, pod: Pod, requested: string): string {
  if (requested) {
    if (!allContainers(pod).some((c) => c.name === requested))
      throw new CommandError(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && allContainers(pod).some((c) => c.name === annotated)) return annotated;
  const first = pod.spec.containers[0]?.name ?? '';
  if (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0)
    ctx.stderr(`Defaulted container "${first}" out of: ${containerNames(pod)}\n`);
  return first;
}

/** A Go duration the flag parser has already checked (`1h30m`, `90s`, `1.5m`). */
function durationMs(text: string): number {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)([a-zµμ]+)/g))
    total += Number(m[1]) * (units[m[2]] ?? 0);
  return total;
}

/** The end of LogsOptions.Validate, which runs once the pods have been found. */
function validateLimits(args: ParsedArgs): void {
  if (/^-/.test(args.flags.since as string)) throw new CommandError('--since must be greater than 0');
  if ((args.flags.tail as number) < -1) throw new CommandError('--tail must be greater than or equal to -1');
}

function sinceOf(ctx: KubectlContext, args: ParsedArgs): number | undefined {
  const since = args.flags.since as string;
  const sinceTime = args.flags['since-time'] as string;
  if (since && sinceTime)
    throw new CommandError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  const now = ctx.cluster.clock.now();
  if (since) {
    return now - Math.ceil(durationMs(since) / 1000) * 1000;
  }
  if (sinceTime) {
    const at = Date.parse(sinceTime);
    if (!/^\d{4}-\d\d-\d\dT/.test(sinceTime) || Number.isNaN(at))
      throw new CommandError(
        `parsing time "${sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTime}" as "2006"`,
      );
    return at;
  }
  return undefined;
}

export const logsCommand: CommandDef = {
  path: ['logs'],
  short: 'Print the logs for a container in a pod',
  usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  flags: [
    flag.string('container', 'c', '', 'Print the logs of this container'),
    flag.bool('follow', 'f', false, 'Specify if the logs should be streamed.'),
    flag.int('tail', undefined, -1, 'Lines of recent log file to display.'),
    flag.bool(
      'previous',
      'p',
      false,
      'If true, print the logs for the previous instance of the container in a pod if it exists.',
    ),
    flag.bool('timestamps', undefined, false, 'Include timestamps on each line in the log output'),
    {
      name: 'since',
      type: 'duration',
      default: '0s',
      description: 'Only return logs newer than a relative duration like 5s, 2m, or 3h.',
    },
    flag.string('since-time', undefined, '', 'Only return logs after a specific date (RFC3339).'),
    flag.selector(),
    flag.bool('all-containers', undefined, false, "Get all containers' logs in the pod(s)."),
    flag.bool(
      'prefix',
      undefined,
      false,
      'Prefix each log line with the log source (pod name and container name)',
    ),
    flag.int(
      'max-log-requests',
      undefined,
      5,
      'Specify maximum number of concurrent logs to follow when using by a selector.',
    ),
    flag.bool(
      'ignore-errors',
      undefined,
      false,
      'If watching / following pod logs, allow for any errors that occur to be non-fatal',
    ),
  ],
  async run(ctx, args) {
    const selector = args.flags.selector as string;
    const usage =
      "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";
    if (selector && args.positional.length > 0)
      throw new CommandError('only a selector (-l) or a POD name is allowed');
    if (!selector && (args.positional.length === 0 || args.positional.length > 2))
      throw new UsageError(usage);
    if (/^[+-]?0[a-zµμ]*$/.test(args.flags.since as string)) args.flags.since = '';
    const since = sinceOf(ctx, args);
    const namespace = namespaceFlag(args);
    const allFlag = args.flags['all-containers'] as boolean;
    const containerArg = args.positional[1] ?? (args.flags.container as string);
    if (allFlag && containerArg) throw new CommandError('--container cannot be used with --all-containers');
    let pods: Pod[];
    if (selector) {
      pods = ctx.cluster.api.list<Pod>('pods', { namespace, labelSelector: selector });
      if (pods.length === 0) {
        ctx.stderr(`No resources found in ${namespace} namespace.\n`);
        validateLimits(args);
        return 0;
      }
      if (args.flags.follow && pods.length > (args.flags['max-log-requests'] as number))
        throw new CommandError(
          `you are attempting to follow ${pods.length} log streams, but maximum allowed concurrency is ${args.flags['max-log-requests']}, use --max-log-requests to increase the limit`,
        );
    } else {
      pods = [
        resolvePod(ctx, args, args.positional[0], (count, chosen) => {
          if (count > 1) ctx.stderr(`Found ${count} pods, using pod/${chosen.metadata.name}\n`);
        }),
      ];
    }
    validateLimits(args);
    let tail = args.flags.tail as number;
    if (selector && !args.changed.has('tail')) tail = 10;
    const sources: { pod: Pod; container: string }[] = [];
    for (const pod of pods) {
      if (allFlag)
        for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers])
          sources.push({ pod, container: c.name });
      else sources.push({ pod, container: pickContainer(ctx, pod, containerArg) });
    }
    const prefix = args.flags.prefix as boolean;
    const read = (s: { pod: Pod; container: string }) => {
      const text = ctx.cluster.runtime.logs(
        s.pod.metadata.namespace ?? 'default',
        s.pod.metadata.name,
        s.container,
        {
          previous: args.flags.previous as boolean,
          timestamps: args.flags.timestamps as boolean,
          since,
          tail,
        },
      );
      return prefix ? text.replace(/^(?=.)/gm, `[pod/${s.pod.metadata.name}/${s.container}] `) : text;
    };
    const seen = sources.map(() => 0);
    for (const [i, s] of sources.entries()) {
      const text = read(s);
      ctx.stdout(text);
      seen[i] = read({ ...s }).length;
    }
    if (!(args.flags.follow as boolean)) return 0;
    tail = -1;
    for (;;) {
      await waitForClusterChange(ctx);
      for (const [i, s] of sources.entries()) {
        let current: string;
        try {
          current = read(s);
        } catch {
          return 0;
        }
        if (current.length > seen[i]) ctx.stdout(current.slice(seen[i]));
        seen[i] = current.length;
      }
    }
  },
};
