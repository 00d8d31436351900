import { inServedVersion, type ResourceInfo } from '../../api/resources';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, RawError } from '../context';
import { formatStatusError } from '../errors';
import { customColumnsOf, OutputFormat, parseOutputFormat, printObjects } from '../output';
import { printCustomColumns } from '../printers/custom-columns';
import { inTableOrder, tableHeaders, tableRow, TableOptions } from '../printers/columns';
import { selectJsonPath } from '../printers/jsonpath';
import { GET_TABLE_OPTIONS, TabWriter } from '../printers/tabwriter';
import { kindWithGroup, parseResourceArgs, ResourceRequest } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { targetsFromFiles } from './delete-files';
import { metricsTarget, runGetMetrics } from './get-metrics';
import { parseGoDuration } from './rollout-status';

const NO_TYPE_MESSAGE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples`;

interface Fetched {
  request: ResourceRequest;
  objects: KubeObject[];
}

export const getCommand: CommandDef = {
  path: ['get'],
  short: 'Display one or many resources',
  usage:
    'kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
  flags: [
    flag.output(),
    flag.selector(),
    flag.allNamespaces(),
    flag.string(
      'template',
      undefined,
      '',
      'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
    ),
    flag.string('field-selector', undefined, '', 'Selector (field query) to filter on'),
    flag.bool('show-labels', undefined, false, 'When printing, show all labels as the last column'),
    {
      name: 'label-columns',
      shorthand: 'L',
      type: 'stringSlice',
      default: [],
      description: 'Accepts a comma separated list of labels that are going to be presented as columns.',
    },
    flag.bool(
      'show-kind',
      undefined,
      false,
      'If present, list the resource type for the requested object(s).',
    ),
    flag.bool(
      'no-headers',
      undefined,
      false,
      "When using the default or custom-column output format, don't print headers",
    ),
    flag.bool('watch', 'w', false, 'After listing/getting the requested object, watch for changes'),
    flag.string(
      'sort-by',
      undefined,
      '',
      'If non-empty, sort list types using this field specification (a JSONPath expression).',
    ),
    flag.bool(
      'watch-only',
      undefined,
      false,
      'Watch for changes to the requested object(s), without listing/getting first',
    ),
    {
      name: 'filename',
      shorthand: 'f',
      type: 'stringArray',
      default: [],
      description: 'Filename, directory, or URL to files identifying the resource to get from a server.',
    },
  ],
  async run(ctx, args) {
    const api = ctx.cluster.api;
    const files = args.flags.filename as string[];
    if (args.positional.length === 0 && files.length === 0) throw new RawError(NO_TYPE_MESSAGE);
    // The Metrics API's kinds are served by metrics-server through the aggregator, not stored (get-metrics.ts).
    const metrics = files.length === 0 ? metricsTarget(ctx, args.positional) : undefined;
    if (metrics) return runGetMetrics(ctx, args, metrics);
    // `-f`: the objects the manifests name, fetched in the namespaces they give (delete-files.ts).
    const fromFiles = files.length > 0 ? await targetsFromFiles(ctx, args, files) : undefined;
    const format = parseOutputFormat(args.flags.output as string, true, args.flags.template as string);
    const selector = args.flags.selector as string;
    const fieldSelector = args.flags['field-selector'] as string;
    const allNamespaces = args.flags['all-namespaces'] as boolean;
    const namespace = namespaceFlag(args);
    const requests: ResourceRequest[] = fromFiles
      ? [...new Set(fromFiles.targets.map((t) => t.info))].map((info) => ({
          info,
          names: fromFiles.targets.filter((t) => t.info === info).map((t) => t.obj.metadata.name),
        }))
      : parseResourceArgs(api, args.positional);
    const named = fromFiles !== undefined || requests.some((r) => r.names.length > 0);
    if (named && selector) throw new CommandError('name cannot be provided when a selector is specified');
    const showKind =
      (args.flags['show-kind'] as boolean) ||
      args.positional[0]?.toLowerCase() === 'all' ||
      (args.positional.length > 0 && !args.positional[0].includes('/') && args.positional[0].includes(',')) ||
      new Set(requests.map((r) => r.info.resource)).size > 1;

    // A deprecated API's Warning, once per message as kubectl's deduplicating warning writer prints it.
    for (const warning of new Set(requests.map((r) => r.info.warning)))
      if (warning) ctx.stderr(`Warning: ${warning}\n`);
    const errors: string[] = fromFiles?.errors ?? [];
    const fetched: Fetched[] = requests.map((request) => ({
      request,
      objects: fromFiles?.targets.filter((t) => t.info === request.info).map((t) => t.obj) ?? [],
    }));
    // A table only reads the objects, so it prints the store's own (--sort-by and the other formats keep copies).
    const readOnly = format.kind === 'table' && !args.flags['sort-by'];
    for (const entry of fromFiles ? [] : fetched) {
      const { info, names } = entry.request;
      const ns = info.namespaced ? namespace : undefined;
      if (names.length > 0) {
        for (const name of names) {
          try {
            entry.objects.push(api.get(info.resource, ns, name));
          } catch (error) {
            if (!isStatusError(error)) throw error;
            errors.push(formatStatusError(error));
          }
        }
      } else {
        entry.objects = api.list(info.resource, {
          namespace: info.namespaced && !allNamespaces ? namespace : undefined,
          labelSelector: selector || undefined,
          fieldSelector: fieldSelector || undefined,
          readOnly,
        });
      }
    }

    const sortBy = args.flags['sort-by'] as string;
    const watching = (args.flags.watch as boolean) || (args.flags['watch-only'] as boolean);
    if (sortBy && watching)
      ctx.stderr('warning: --watch or --watch-only requested, --sort-by will be ignored\n');
    else if (sortBy)
      for (const entry of fetched)
        entry.objects = sortObjects(entry.objects, sortBy, format.kind === 'table');
    if (watching && requests.length !== 1)
      throw new CommandError(
        `watch is only supported on individual resources and resource collections, but ${requests.length} resource types were found`,
      );
    const tableOptions = (info: ResourceInfo): TableOptions => ({
      wide: format.kind === 'table' && format.wide,
      withNamespace: allNamespaces && info.namespaced,
      showLabels: args.flags['show-labels'] as boolean,
      namePrefix: showKind ? kindWithGroup(info) : undefined,
      labelColumns: args.flags['label-columns'] as string[],
    });
    const writer = new TabWriter(GET_TABLE_OPTIONS);
    let printedHeader = false;
    if (!(args.flags['watch-only'] as boolean)) {
      printedHeader = printInitial(ctx, fetched, format, named, args, tableOptions, writer);
      const total = fetched.reduce((n, f) => n + f.objects.length, 0);
      if (total === 0 && errors.length === 0 && !watching && format.kind === 'table') {
        const anyNamespaced = requests.some((r) => r.info.namespaced);
        ctx.stderr(
          anyNamespaced && !allNamespaces
            ? `No resources found in ${namespace} namespace.\n`
            : 'No resources found\n',
        );
      }
    }
    for (const error of errors) ctx.stderr(error + '\n');
    if (!watching) return errors.length > 0 ? 1 : 0;
    await watch(
      ctx,
      fetched[0].request,
      { namespace, allNamespaces, selector, format, printedHeader },
      tableOptions,
      writer,
      args,
    );
    return 0;
  },
};

function printInitial(
  ctx: KubectlContext,
  fetched: Fetched[],
  format: OutputFormat,
  named: boolean,
  args: ParsedArgs,
  tableOptions: (info: ResourceInfo) => TableOptions,
  writer: TabWriter,
): boolean {
  const now = ctx.cluster.clock.now();
  if (format.kind !== 'table') {
    // Printed in the version asked for (events.events.k8s.io, flowschemas.v1beta3...); tables read the stored form.
    const shown = fetched.map((f) => f.objects.map((o) => inServedVersion(f.request.info, o)));
    const all = shown.flat();
    const infoOf = (o: KubeObject) =>
      fetched[shown.findIndex((objects) => objects.includes(o))]?.request.info as ResourceInfo;
    const single = named && fetched.length === 1 && fetched[0].request.names.length === 1;
    // A single named object that is missing prints only the error; otherwise found items print as a List.
    if (single && all.length === 0) return false;
    if (format.kind === 'custom-columns') {
      const columns = customColumnsOf(format, ctx.files);
      const printed = printCustomColumns(columns, toJson(all), args.flags['no-headers'] as boolean, writer);
      ctx.stdout(printed.text);
      if (printed.error) throw printed.error;
      return !(args.flags['no-headers'] as boolean);
    }
    ctx.stdout(printObjects(all, format, single, infoOf));
    return false;
  }
  let printedGroups = 0;
  for (const { request, objects } of fetched) {
    if (objects.length === 0) continue;
    const options = tableOptions(request.info);
    if (printedGroups > 0 && !(args.flags['no-headers'] as boolean)) ctx.stdout('\n');
    const grouped = new TabWriter(GET_TABLE_OPTIONS);
    const target = fetched.length === 1 ? writer : grouped;
    if (!(args.flags['no-headers'] as boolean)) target.writeRow(tableHeaders(request.info.resource, options));
    // --sort-by orders the rows itself; otherwise they come in the API server's table order.
    const rows = args.flags['sort-by'] ? objects : inTableOrder(request.info.resource, objects);
    for (const obj of rows) target.writeRow(tableRow(request.info.resource, obj, now, options));
    ctx.stdout(target.flush());
    printedGroups++;
  }
  return printedGroups > 0;
}

async function watch(
  ctx: KubectlContext,
  request: ResourceRequest,
  opts: {
    namespace: string;
    allNamespaces: boolean;
    selector: string;
    format: OutputFormat;
    printedHeader: boolean;
  },
  tableOptions: (info: ResourceInfo) => TableOptions,
  writer: TabWriter,
  args: ParsedArgs,
): Promise<void> {
  const { info, names } = request;
  let headerDone = opts.printedHeader || (args.flags['no-headers'] as boolean);
  const options = tableOptions(info);
  const stop = ctx.cluster.api.watch(
    info.resource,
    {
      namespace: info.namespaced && !opts.allNamespaces ? opts.namespace : undefined,
      labelSelector: opts.selector || undefined,
    },
    (_type, obj) => {
      if (names.length > 0 && !names.includes(obj.metadata.name)) return;
      if (opts.format.kind === 'custom-columns') {
        const columns = customColumnsOf(opts.format, ctx.files);
        const printed = printCustomColumns(columns, toJson([obj]), headerDone, writer);
        headerDone = true;
        ctx.stdout(printed.text);
        if (printed.error) ctx.stderr(`error: ${printed.error.message}\n`);
        return;
      }
      if (opts.format.kind !== 'table') {
        ctx.stdout(printObjects([obj], opts.format, true, () => info));
        return;
      }
      if (!headerDone) {
        writer.write(tableHeaders(info.resource, options).join('\t') + '\n');
        headerDone = true;
      }
      writer.write(tableRow(info.resource, obj, ctx.cluster.clock.now(), options).join('\t') + '\n');
      ctx.stdout(writer.flush());
    },
  );
  // `--request-timeout` bounds the watch request: when it runs out the stream ends and kubectl exits quietly.
  const timeout = requestTimeoutMs(args);
  const deadline = timeout === undefined ? undefined : ctx.cluster.clock.now() + timeout;
  try {
    while (deadline === undefined || ctx.cluster.clock.now() < deadline)
      await waitForClusterChange(ctx, deadline);
  } finally {
    stop();
  }
}

/** The global `--request-timeout`: seconds, or a duration with a unit; 0 (the default) means none. */
function requestTimeoutMs(args: ParsedArgs): number | undefined {
  const value = String(args.flags['request-timeout'] ?? '0');
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    try {
      ms = parseGoDuration(value);
    } catch {
      ms = NaN;
    }
    if (!Number.isFinite(ms) || ms < 0)
      throw new CommandError(
        'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a unit (e.g. 1s | 2m | 3h)',
      );
  }
  return ms > 0 ? ms : undefined;
}

/** Objects as kubectl's unstructured printers see them (plain JSON values). */
function toJson(objects: KubeObject[]): unknown[] {
  return JSON.parse(JSON.stringify(objects)) as unknown[];
}

/** get.go RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`. */
function relaxedJsonPath(expression: string): string | undefined {
  const match = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expression);
  return match ? `{.${match[1] ?? match[2]}}` : undefined;
}

/**
 * `--sort-by`: numbers numerically, everything else as text; objects without the field come first. kubectl
 * refuses a field no object has (a table of rows, or a list of more than one object) and, outside tables, a path
 * that is not a plain field path.
 */
function sortObjects(objects: KubeObject[], expression: string, table: boolean): KubeObject[] {
  const relaxed = relaxedJsonPath(expression);
  if (!table && relaxed === undefined && objects.length > 1)
    throw new CommandError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  const field = relaxed ?? expression;
  if (objects.length === 0 || (!table && objects.length === 1)) return objects;
  const found = objects.some((obj) => selectJsonPath(field, JSON.parse(JSON.stringify(obj))).length > 0);
  if (!found) throw new CommandError(`couldn't find any field with path "${field}" in the list of objects`);
  const keyed = objects.map((obj) => {
    const values = selectJsonPath(field, JSON.parse(JSON.stringify(obj)));
    if (values.length > 1)
      throw new CommandError(
        `couldn't get any field values for sorting with ${expression}: more than one value selected`,
      );
    return { obj, value: values[0] };
  });
  const compare = (a: unknown, b: unknown): number => {
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = typeof a === 'object' ? JSON.stringify(a) : String(a);
    const y = typeof b === 'object' ? JSON.stringify(b) : String(b);
    return naturalCompare(x, y);
  };
  return keyed.sort((a, b) => compare(a.value, b.value)).map((k) => k.obj);
}

/** sortorder.NaturalLess, as kubectl's sorter compares strings: runs of digits by value, the rest by character. */
export function naturalCompare(a: string, b: string): number {
  const chunks = (text: string) => text.match(/\d+|\D+/g) ?? [];
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    const digits = /^\d/.test(p) && /^\d/.test(q);
    if (!digits) return p < q ? -1 : 1;
    const [m, n] = [BigInt(p), BigInt(q)];
    if (m !== n) return m < n ? -1 : 1;
    // Equal values: fewer leading zeros first.
    return p.length - q.length;
  }
  return x.length - y.length;
}
