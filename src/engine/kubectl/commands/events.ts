/**
 * `kubectl events` (cmd/events): the namespace's (or every namespace's) core/v1 Events, oldest first, with the
 * describe-style interval (`5s (x3 over 2m)`) and `Kind/name` objects. `--for TYPE/NAME` asks the server for that
 * object's events with kubectl's field selector (kind, apiVersion, name); `--types` keeps Normal and/or Warning;
 * `-w` prints them first, then each new or changed one until Ctrl-C.
 */
import type { KubeEvent } from '../../api/types';
import { resourceFor } from '../../api/resources';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { humanDuration } from '../duration';
import { parseOutputFormat, printObjects } from '../output';
import { TabWriter, GET_TABLE_OPTIONS } from '../printers/tabwriter';
import { parseResourceArgs } from '../resource-args';
import { waitForClusterChange } from '../wait';

export const eventsCommand: CommandDef = {
  path: ['events'],
  short: 'List events',
  usage:
    'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]',
  flags: [
    flag.allNamespaces(),
    flag.string('for', undefined, '', 'Filter events to only those pertaining to the specified resource.'),
    {
      name: 'types',
      type: 'stringSlice',
      default: [],
      description: 'Output only events of given types.',
    },
    flag.bool('watch', 'w', false, 'After listing the requested events, watch for more events.'),
    flag.bool('no-headers', undefined, false, "When using the default output format, don't print headers."),
    flag.output(),
  ],
  async run(ctx, args) {
    const api = ctx.cluster.api;
    const allNamespaces = args.flags['all-namespaces'] as boolean;
    const namespace = namespaceFlag(args);
    const types = [...new Set(args.flags.types as string[])].sort();
    const fieldSelector = forSelector(ctx, args.flags.for as string);
    const output = args.flags.output as string;
    const format = output ? parseOutputFormat(output, false) : undefined;
    if (types.some((t) => !/^(normal|warning)$/i.test(t)))
      throw new CommandError('valid --types are Normal or Warning');
    const wanted = (e: KubeEvent) =>
      types.length === 0 || types.some((t) => t.toLowerCase() === e.type.toLowerCase());
    const listOptions = { namespace: allNamespaces ? undefined : namespace, fieldSelector };
    const noHeaders = args.flags['no-headers'] as boolean;
    const writer = new TabWriter(GET_TABLE_OPTIONS);
    let headerDone = noHeaders;
    const print = (events: KubeEvent[]) => {
      if (format) {
        ctx.stdout(printObjects(events, format, args.flags.watch as boolean, () => resourceFor('events')!));
        return;
      }
      if (!headerDone) {
        writer.write(`${allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`);
        headerDone = true;
      }
      const now = ctx.cluster.clock.now();
      for (const e of events)
        writer.write(
          `${allNamespaces ? `${e.metadata.namespace}\t` : ''}${interval(e, now)}\t${e.type}\t${e.reason}\t` +
            `${e.involvedObject.kind}/${e.involvedObject.name}\t${e.message.trim()}\n`,
        );
      ctx.stdout(writer.flush());
    };
    if (args.flags.watch as boolean) {
      await watchEvents(ctx, listOptions, (e) => wanted(e) && print([e]));
      return 0;
    }
    const events = api
      .list<KubeEvent>('events', listOptions)
      .filter(wanted)
      .map((e, index) => ({ e, index }))
      .sort((a, b) => eventTime(a.e) - eventTime(b.e) || a.index - b.index)
      .map(({ e }) => e);
    if (events.length === 0) {
      ctx.stderr(allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
      return 0;
    }
    print(events);
    return 0;
  },
};

/** `--for TYPE/NAME`: the field selector kubectl sends (involvedObject kind, apiVersion and name). */
function forSelector(ctx: KubectlContext, value: string): string | undefined {
  if (!value) return undefined;
  if (!value.includes('/')) throw new CommandError('--for must be in resource/name form');
  const parts = value.split('/');
  if (parts.length !== 2)
    throw new CommandError('arguments in resource/name form may not have more than one slash');
  const [{ info }] = parseResourceArgs(ctx.cluster.api, [`${parts[0]}/x`]);
  const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  return `involvedObject.kind=${info.kind},involvedObject.apiVersion=${apiVersion},involvedObject.name=${parts[1]}`;
}

/** The time kubectl sorts by: the last timestamp, else the event time. */
function eventTime(e: KubeEvent): number {
  return Date.parse(e.lastTimestamp || (e.eventTime as string | null) || e.firstTimestamp || '') || 0;
}

/** event_printer.go getInterval: the first sighting, or `<last> (xN over <first>)` for a repeated event. */
function interval(e: KubeEvent, now: number): string {
  const since = (t: string | null | undefined) => (t ? humanDuration(now - Date.parse(t)) : '<unknown>');
  const first = since(e.eventTime ?? e.firstTimestamp);
  return e.count > 1 ? `${since(e.lastTimestamp)} (x${e.count} over ${first})` : first;
}

/** `-w`: the events there are, then every added or changed one, until interrupted (deletions are not shown). */
async function watchEvents(
  ctx: KubectlContext,
  options: { namespace?: string; fieldSelector?: string },
  onEvent: (e: KubeEvent) => void,
): Promise<void> {
  for (const e of ctx.cluster.api.list<KubeEvent>('events', options)) onEvent(e);
  const stop = ctx.cluster.api.watch('events', options, (type, obj) => {
    if (type !== 'DELETED') onEvent(obj as KubeEvent);
  });
  try {
    for (;;) await waitForClusterChange(ctx);
  } finally {
    stop();
  }
}
