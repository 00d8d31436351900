import type { ResourceName } from '../api/resources';
import type { Cluster } from '../cluster';
import { COMMANDS } from '../kubectl/commands';
import { EXAMPLE_MANIFESTS } from '../kubectl/virtual-files';
import { HomeDirectory } from './home/home-directory';
import { tokenize, expandWords, ShellSyntaxError } from './tokenizer';
import { FILTER_NAMES, KIND_PLURALS, LINE_PROGRAMS } from './vocabulary';

const PROGRAMS: string[] = [...LINE_PROGRAMS.filter((name) => name !== 'exit'), ...FILTER_NAMES];
const KINDS = KIND_PLURALS;
/** Verbs whose next argument is a resource type. */
const TYPED_VERBS = ['get', 'describe', 'delete', 'label', 'scale', 'expose', 'rollout', 'set'];
const POD_VERBS = ['exec', 'logs'];

/** Programs whose arguments are paths of the home. */
const FILE_PROGRAMS = [
  'cat',
  'ls',
  'cd',
  'mkdir',
  'rm',
  'mv',
  'cp',
  'touch',
  'diff',
  'vim',
  'vi',
  'nano',
  ...FILTER_NAMES,
];
/** kubectl flags whose value is a path of the home. */
const FILE_FLAGS = ['-f', '--filename', '--from-file', '--from-env-file', '--cert', '--key'];

/**
 * Tab completion for the word being typed at the end of `partialLine`: programs, paths of the home (folders end in
 * `/`), kubectl verbs and subcommands, resource types, and object names (read from the cluster, in the namespace
 * given with -n). Without a home, paths complete against the example manifests.
 */
export function completions(
  cluster: Cluster,
  partialLine: string,
  home: HomeDirectory = new HomeDirectory(undefined, EXAMPLE_MANIFESTS),
  cwd = '',
): string[] {
  let words: string[];
  try {
    const stages = tokenize(partialLine).stages;
    words = stages.length === 0 ? [] : expandWords(stages[stages.length - 1], () => '');
  } catch (error) {
    if (error instanceof ShellSyntaxError) return [];
    throw error;
  }
  const endsWithSpace = partialLine === '' || /\s$/.test(partialLine);
  const current = endsWithSpace ? '' : (words.pop() ?? '');
  const pick = (candidates: string[]) => [...new Set(candidates)].filter((c) => c.startsWith(current)).sort();
  if (words.length === 0) return pick(PROGRAMS);
  const [program, ...args] = words;
  if (program === 'minikube')
    return args.length === 0
      ? pick(['ip', 'status', 'version', 'start', 'addons', 'service', 'tunnel', 'node', 'ssh'])
      : [];
  if (FILE_PROGRAMS.includes(program)) return pick(paths(home, cwd, current));
  if (program !== 'kubectl') return [];

  const namespaceIndex = args.findIndex((a) => a === '-n' || a === '--namespace');
  const namespace = namespaceIndex >= 0 ? args[namespaceIndex + 1] : undefined;
  const positional = args.filter(
    (a, i) => !a.startsWith('-') && !(namespaceIndex >= 0 && i === namespaceIndex + 1),
  );
  if (args[args.length - 1] === '-n' || args[args.length - 1] === '--namespace')
    return pick(names(cluster, 'namespaces'));
  if (FILE_FLAGS.includes(args[args.length - 1])) return pick(paths(home, cwd, current));
  const inline = /^(--(?:filename|from-file|from-env-file|cert|key)=)(.*)$/.exec(current);
  if (inline) return pick(paths(home, cwd, inline[2]).map((path) => inline[1] + path));
  if (positional[0] === 'cp' && !current.startsWith('-') && !current.includes(':'))
    return pick(paths(home, cwd, current));
  if (current.startsWith('-')) return [];
  const verbs = [...new Set(COMMANDS.map((c) => c.path[0]))];
  if (positional.length === 0) return pick(verbs);
  const [verb, ...rest] = positional;
  const group = COMMANDS.filter((c) => c.path.length === 2 && c.path[0] === verb);
  let typeArgs = rest;
  if (group.length > 0) {
    if (rest.length === 0) return pick(group.map((c) => c.path[1]));
    if (verb === 'create') return [];
    typeArgs = rest.slice(1);
  }
  if (POD_VERBS.includes(verb))
    return typeArgs.length === 0 ? pick(names(cluster, 'pods', namespace ?? 'default')) : [];
  if (!TYPED_VERBS.includes(verb)) return [];
  if (typeArgs.length === 0) {
    const slash = current.indexOf('/');
    if (slash >= 0) {
      const info = cluster.api.resourceFor(current.slice(0, slash));
      if (!info) return [];
      return pick(
        names(cluster, info.resource, info.namespaced ? (namespace ?? 'default') : undefined).map(
          (n) => `${current.slice(0, slash)}/${n}`,
        ),
      );
    }
    return pick(verb === 'rollout' ? ['deployment'] : KINDS);
  }
  if (typeArgs[0].includes('/')) return [];
  const info = cluster.api.resourceFor(typeArgs[0]);
  if (!info) return [];
  return pick(names(cluster, info.resource, info.namespaced ? (namespace ?? 'default') : undefined));
}

/** The entries of the folder `current` points into, written as the student typed the folder part. */
function paths(home: HomeDirectory, cwd: string, current: string): string[] {
  const slash = current.lastIndexOf('/');
  const typedDir = slash >= 0 ? current.slice(0, slash + 1) : '';
  try {
    const { key } = home.resolve(typedDir === '' ? '.' : typedDir, cwd);
    if (home.stat(key)?.kind !== 'dir') return [];
    return home.list(key).map((name) => {
      const isDir = home.stat(key === '' ? name : `${key}/${name}`)?.kind === 'dir';
      return `${typedDir}${name}${isDir ? '/' : ''}`;
    });
  } catch {
    return [];
  }
}

function names(cluster: Cluster, resource: ResourceName, namespace?: string): string[] {
  return cluster.api.list(resource, { namespace }).map((o) => o.metadata.name);
}
