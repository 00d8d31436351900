/** What the lab terminal's kubectl understands, for completion and for reading its output back. */
import { FILTER_NAMES, LINE_PROGRAMS } from '../../../src/engine/terminal/vocabulary';

export interface ResourceKind {
  /** Canonical plural, e.g. `deployments`. */
  plural: string;
  aliases: string[];
  namespaced: boolean;
}

export const RESOURCE_KINDS: ResourceKind[] = [
  { plural: 'pods', aliases: ['pod', 'po'], namespaced: true },
  { plural: 'deployments', aliases: ['deployment', 'deploy'], namespaced: true },
  { plural: 'replicasets', aliases: ['replicaset', 'rs'], namespaced: true },
  { plural: 'services', aliases: ['service', 'svc'], namespaced: true },
  { plural: 'endpoints', aliases: ['ep'], namespaced: true },
  { plural: 'events', aliases: ['event', 'ev'], namespaced: true },
  { plural: 'nodes', aliases: ['node', 'no'], namespaced: false },
  { plural: 'namespaces', aliases: ['namespace', 'ns'], namespaced: false },
];

/** Resolves `po`, `Pod`, `deployment.apps`, `deployments` … to the kind; undefined when unknown. */
export function kindFor(typed: string): ResourceKind | undefined {
  const name = typed.toLowerCase().split('.')[0];
  return RESOURCE_KINDS.find((kind) => kind.plural === name || kind.aliases.includes(name));
}

// The terminal's own lists: completion offers exactly what the server accepts.
export const PROGRAMS: string[] = [...LINE_PROGRAMS];
export const FILTERS: string[] = [...FILTER_NAMES];
export const MINIKUBE_COMMANDS = ['ip', 'status', 'version', 'start'];
/** The example manifests in the terminal's virtual home directory. */
export const EXAMPLE_FILES = ['deployment.yaml', 'service.yaml', 'pod.yaml'];

export const KUBECTL_VERBS = [
  'api-resources',
  'apply',
  'cluster-info',
  'create',
  'delete',
  'describe',
  'exec',
  'expose',
  'get',
  'label',
  'logs',
  'rollout',
  'run',
  'scale',
  'set',
  'version',
];

export const KUBECTL_SUBCOMMANDS: Record<string, string[]> = {
  create: ['deployment'],
  rollout: ['history', 'pause', 'restart', 'resume', 'status', 'undo'],
  set: ['image'],
};

/** Verbs (after their subcommand, if any) whose arguments are a resource type and object names. */
export const TYPED_VERBS = new Set([
  'get',
  'describe',
  'delete',
  'label',
  'scale',
  'expose',
  'rollout',
  'set',
]);
/** Verbs whose first argument is a pod. */
export const POD_VERBS = new Set(['exec', 'logs']);
export const SHELLS = ['bash', 'sh', '/bin/bash', '/bin/sh'];
export const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name', 'jsonpath='];
export const DEFAULT_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Flags that take the next word as their value (unless written `--flag=value`). */
export const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-o',
  '--output',
  '-l',
  '--selector',
  '-f',
  '--filename',
  '-c',
  '--container',
  '--sort-by',
  '--field-selector',
  '--type',
  '--port',
  '--target-port',
  '--name',
  '--image',
  '--replicas',
  '--to-revision',
  '-L',
  '--label-columns',
  '--tail',
  '--since',
  '--timeout',
]);

export interface KubectlArgs {
  /** Words that are not flags nor flag values, in order (verb first). */
  positional: string[];
  namespace: string | undefined;
  allNamespaces: boolean;
  output: string | undefined;
  selector: string | undefined;
  /** Words after a bare `--`. */
  afterDash: string[];
  /** Whether the last word is a flag still waiting for its value, and which flag. */
  pendingFlag: string | undefined;
}

/** Reads kubectl's arguments (everything after the word `kubectl`). */
export function parseKubectlArgs(args: string[]): KubectlArgs {
  const parsed: KubectlArgs = {
    positional: [],
    namespace: undefined,
    allNamespaces: false,
    output: undefined,
    selector: undefined,
    afterDash: [],
    pendingFlag: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      parsed.afterDash = args.slice(i + 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positional.push(arg);
      continue;
    }
    let flag = arg;
    let value: string | undefined;
    const equals = arg.indexOf('=');
    if (/^-[nol][^-]/.test(arg)) {
      // -nkube-system, -owide, -lapp=x
      flag = arg.slice(0, 2);
      value = arg.slice(2);
    } else if (equals > 0) {
      flag = arg.slice(0, equals);
      value = arg.slice(equals + 1);
    } else if (VALUE_FLAGS.has(arg)) {
      if (i + 1 >= args.length) {
        parsed.pendingFlag = arg;
        break;
      }
      value = args[++i];
    }
    if (flag === '-n' || flag === '--namespace') parsed.namespace = value;
    else if (flag === '-o' || flag === '--output') parsed.output = value;
    else if (flag === '-l' || flag === '--selector') parsed.selector = value;
    else if (flag === '-A' || flag === '--all-namespaces') parsed.allNamespaces = value !== 'false';
  }
  return parsed;
}
