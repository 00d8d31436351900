/**
 * `kubectl api-resources` and `kubectl api-versions` (cmd/apiresources): what discovery lists, read from the one
 * resource registry as the cluster serves it now (servedNow), filtered and sorted as kubectl 1.30 does.
 */
import type { ResourceInfo } from '../../api/resources';
import { servedGroups } from '../../http/discovery';
import { servedNow } from '../../server/served';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag } from '../command';
import { CommandError, RawError } from '../context';
import { alignTabs, GET_TABLE_OPTIONS } from '../printers/tabwriter';

/** Go's strings.Compare order (bytes, not locale). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function refuseArguments(args: ParsedArgs, command: string): void {
  if (args.positional.length)
    throw new RawError(
      `error: unexpected arguments: [${args.positional.join(' ')}]\nSee 'kubectl ${command} -h' for help and examples`,
    );
}

/** Every flag value of a string slice flag, split on commas (pflag's StringSlice). */
function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.flags[name];
  const values = Array.isArray(value) ? value : value ? [String(value)] : [];
  return values.flatMap((v) => String(v).split(',')).filter((v) => v !== '');
}

/**
 * The resources kubectl keeps: preferred versions only (ServerPreferredResources), filtered by --api-group,
 * --namespaced, --verbs and --categories (each verb and category required), in discovery order.
 */
export function selectResources(args: ParsedArgs, served: readonly ResourceInfo[]): ResourceInfo[] {
  const verbs = listFlag(args, 'verbs');
  const categories = listFlag(args, 'categories');
  const preferred = servedGroups(served)
    .filter((g, i, all) => all.findIndex((o) => o.group === g.group) === i)
    .flatMap((g) => g.resources);
  return preferred.filter(
    (r) =>
      (!args.changed.has('api-group') || r.group === args.flags['api-group']) &&
      (!args.changed.has('namespaced') || r.namespaced === args.flags.namespaced) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => r.categories.includes(c)),
  );
}

/** kubectl's sortableResource: by group (default), name or kind, then by name; a stable sort keeps ties in order. */
export function sortResources(resources: ResourceInfo[], sortBy: string): ResourceInfo[] {
  const key = (r: ResourceInfo) => (sortBy === 'name' ? r.resource : sortBy === 'kind' ? r.kind : r.group);
  return [...resources].sort((a, b) => compare(key(a), key(b)) || compare(a.resource, b.resource));
}

export const apiResourcesCommand: CommandDef = {
  path: ['api-resources'],
  short: 'Print the supported API resources on the server',
  usage: 'kubectl api-resources [flags] [options]',
  flags: [
    flag.string('api-group', undefined, '', 'Limit to resources in the specified API group.'),
    flag.bool('cached', undefined, false, 'Use the cached list of resources if available.'),
    {
      name: 'categories',
      type: 'stringSlice',
      default: [],
      description: 'Limit to resources in these categories.',
    },
    flag.bool('namespaced', undefined, true, 'If false, non-namespaced resources will be returned.'),
    flag.bool(
      'no-headers',
      undefined,
      false,
      "When using the default or custom-column output format, don't print headers.",
    ),
    flag.output(),
    flag.string(
      'sort-by',
      undefined,
      '',
      "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.",
    ),
    {
      name: 'verbs',
      type: 'stringSlice',
      default: [],
      description: 'Limit to resources that support the specified verbs.',
    },
  ],
  run(ctx, args) {
    const output = args.flags.output as string;
    const sortBy = args.flags['sort-by'] as string;
    if (output !== '' && output !== 'wide' && output !== 'name')
      throw new CommandError(`--output ${output} is not available`);
    if (sortBy !== '' && sortBy !== 'name' && sortBy !== 'kind')
      throw new CommandError('--sort-by accepts only name or kind');
    refuseArguments(args, 'api-resources');
    const resources = sortResources(selectResources(args, servedNow(ctx.cluster.store)), sortBy);
    if (output === 'name') {
      ctx.stdout(resources.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource) + '\n').join(''));
      return;
    }
    const wide = output === 'wide';
    const rows = resources.map((r) =>
      [
        r.resource,
        r.shortNames.join(','),
        r.apiVersion,
        String(r.namespaced),
        r.kind,
        ...(wide ? [r.verbs.join(','), r.categories.join(',')] : []),
      ].join('\t'),
    );
    const header = 'NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND' + (wide ? '\tVERBS\tCATEGORIES' : '');
    const lines = args.flags['no-headers'] ? rows : [header, ...rows];
    if (lines.length) ctx.stdout(alignTabs(lines.join('\n') + '\n', GET_TABLE_OPTIONS));
  },
};

export const apiVersionsCommand: CommandDef = {
  path: ['api-versions'],
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'kubectl api-versions [options]',
  flags: [],
  run(ctx, args) {
    refuseArguments(args, 'api-versions');
    const versions = servedGroups(servedNow(ctx.cluster.store)).map((g) =>
      g.group ? `${g.group}/${g.version}` : g.version,
    );
    ctx.stdout(
      versions
        .sort(compare)
        .map((v) => `${v}\n`)
        .join(''),
    );
  },
};
