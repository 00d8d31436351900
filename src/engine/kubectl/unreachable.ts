/**
 * What kubectl v1.30 prints when nothing listens at the API server's address (after `minikube stop`): most commands
 * first try discovery (memcache.go's `couldn't get current server API group list` klog lines, as many as that
 * command's code path retries) and end with `The connection to the server HOST:PORT was refused - did you specify
 * the right host or port?`; a few fail on their first request with their own error. Each shape below was taken from
 * kubectl.1.30 run against a closed port. Commands that need no server (help, config, version --client, completion,
 * a missing resource type) run as usual: `needsServer` says which.
 */
import { klogHeader, kubectlPid } from './klog';

export interface UnreachableAnswer {
  /** Written first, on stderr (the discovery errors of a command that prints to stdout after them). */
  leading?: string;
  stdout: string;
  stderr: string;
  code: number;
}

const LOCAL_COMMANDS = new Set(['config', 'completion', 'options', 'help', 'plugin', 'kustomize', 'alpha']);
/** Flags before the command word that take a value. */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--context',
  '--cluster',
  '--user',
  '--kubeconfig',
  '-s',
  '--server',
]);

/** The command word and what follows it. */
function commandOf(args: string[]): { command?: string; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    if (VALUE_FLAGS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return { command: args[i], rest: args.slice(i + 1) };
  }
  return { rest: [] };
}

export function needsServer(args: string[]): boolean {
  if (args.some((a) => a === '-h' || a === '--help')) return false;
  const { command, rest } = commandOf(args);
  if (command === undefined || LOCAL_COMMANDS.has(command)) return false;
  if (command === 'version' && args.some((a) => a === '--client' || a === '--client=true')) return false;
  // kubectl checks its arguments before it calls the server: `get` without a type fails the same either way.
  if (
    command === 'get' &&
    !rest.some((a) => !a.startsWith('-')) &&
    !rest.some((a) => a === '-f' || a.startsWith('--filename'))
  )
    return false;
  return true;
}

/** How many discovery errors each command logs before giving up (kubectl.1.30 against a closed port). */
const DISCOVERY_ATTEMPTS: Record<string, number> = {
  logs: 4,
  exec: 4,
  rollout: 4,
  set: 4,
  cordon: 4,
  uncordon: 4,
  drain: 4,
  'port-forward': 4,
  wait: 4,
  attach: 4,
  debug: 4,
  certificate: 4,
  explain: 2,
  taint: 2,
  run: 1,
  top: 0,
  events: 0,
  cp: 0,
};

/** `create SUBCOMMAND`: the first request is the POST, reported with the object's noun. */
const CREATE_POSTS: Record<string, [noun: string, path: string]> = {
  deployment: ['deployment:', 'apis/apps/v1/namespaces/NS/deployments'],
  job: ['job:', 'apis/batch/v1/namespaces/NS/jobs'],
  cronjob: ['cronjob:', 'apis/batch/v1/namespaces/NS/cronjobs'],
  configmap: ['configmap:', 'api/v1/namespaces/NS/configmaps'],
  secret: ['secret', 'api/v1/namespaces/NS/secrets'],
  serviceaccount: ['serviceaccount:', 'api/v1/namespaces/NS/serviceaccounts'],
  ingress: ['ingress:', 'apis/networking.k8s.io/v1/namespaces/NS/ingresses'],
  quota: ['quota:', 'api/v1/namespaces/NS/resourcequotas'],
  poddisruptionbudget: ['poddisruptionbudgets:', 'apis/policy/v1/namespaces/NS/poddisruptionbudgets'],
  priorityclass: ['priorityclass:', 'apis/scheduling.k8s.io/v1/priorityclasses'],
  rolebinding: ['rolebinding:', 'apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings'],
  clusterrolebinding: ['clusterrolebinding:', 'apis/rbac.authorization.k8s.io/v1/clusterrolebindings'],
};
/** kubectl create's aliases of those subcommands. */
const CREATE_ALIASES: Record<string, string> = {
  deploy: 'deployment',
  cj: 'cronjob',
  cm: 'configmap',
  sa: 'serviceaccount',
  ing: 'ingress',
  resourcequota: 'quota',
  pdb: 'poddisruptionbudget',
  pc: 'priorityclass',
};
const SERVICE_TYPES: Record<string, string> = {
  clusterip: 'ClusterIP',
  nodeport: 'NodePort',
  loadbalancer: 'LoadBalancer',
  externalname: 'ExternalName',
};

export function unreachableAnswer(args: string[], server: string, now: number): UnreachableAnswer {
  const refused = `dial tcp ${server}: connect: connection refused`;
  const discovery = (n: number, timeout = '32s') => {
    const pid = kubectlPid(now);
    const line = `couldn't get current server API group list: Get "https://${server}/api?timeout=${timeout}": ${refused}\n`;
    return Array.from({ length: n }, () => klogHeader('E', now, pid, 'memcache.go:265') + line).join('');
  };
  const final = `The connection to the server ${server} was refused - did you specify the right host or port?\n`;
  const { command = '', rest } = commandOf(args);
  const timeoutFlag = args
    .find((a) => a.startsWith('--request-timeout='))
    ?.slice('--request-timeout='.length);
  const files = fileArgs(rest);
  const validate = !args.some((a) => a === '--validate=false' || a === '--validate=ignore');

  if (command === 'version')
    return {
      stdout: 'Client Version: v1.30.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n',
      stderr: final,
      code: 1,
    };
  if ((command === 'apply' || command === 'create' || command === 'replace') && files.length > 0) {
    const file = files[0] === '-' ? 'STDIN' : files[0];
    if (validate)
      return {
        stdout: '',
        stderr: `error: error validating "${file}": error validating data: failed to download openapi: Get "https://${server}/openapi/v2?timeout=32s": ${refused}; if you choose to ignore these errors, turn validation off with --validate=false\n`,
        code: 1,
      };
  }
  if (files.length > 0 && ['apply', 'create', 'replace', 'delete', 'diff'].includes(command)) {
    const file = files[0] === '-' ? 'STDIN' : files[0];
    return {
      stdout: '',
      stderr:
        discovery(1) +
        `error: unable to recognize "${file}": Get "https://${server}/api?timeout=32s": ${refused}\n`,
      code: command === 'diff' ? 2 : 1,
    };
  }
  if (command === 'create') {
    const [sub, kind] = rest.filter((a) => !a.startsWith('-'));
    const namespace = namespaceOf(args);
    const post = (noun: string, path: string) => ({
      stdout: '',
      stderr: `error: failed to create ${noun} Post "https://${server}/${path.replace('NS', namespace)}?fieldManager=kubectl-create&fieldValidation=Strict": ${refused}\n`,
      code: 1,
    });
    if ((sub === 'service' || sub === 'svc') && kind && SERVICE_TYPES[kind])
      return post(`${SERVICE_TYPES[kind]} service:`, 'api/v1/namespaces/NS/services');
    if (sub === 'token' && kind)
      return {
        stdout: '',
        stderr: `error: failed to create token: Post "https://${server}/api/v1/namespaces/${namespace}/serviceaccounts/${kind}/token": ${refused}\n`,
        code: 1,
      };
    const known = CREATE_POSTS[CREATE_ALIASES[sub ?? ''] ?? sub ?? ''];
    if (known) return post(known[0], known[1]);
    // `create role` resolves its --resource through discovery first; namespace and the rest fail on the POST.
    return { stdout: '', stderr: (sub === 'role' ? discovery(2) : '') + final, code: 1 };
  }
  if (command === 'cluster-info')
    return {
      // The dump hint is printed on stdout, between the errors.
      leading: discovery(5),
      stdout: "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
      stderr: final,
      code: 1,
    };
  if (command === 'api-resources')
    return {
      leading: discovery(1),
      stdout: 'NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n',
      stderr: final,
      code: 1,
    };
  if (command === 'api-versions')
    return {
      stdout: '',
      stderr:
        discovery(1) +
        `error: couldn't get available api versions from server: Get "https://${server}/api?timeout=32s": ${refused}\n`,
      code: 1,
    };
  if (command === 'auth')
    return {
      stdout: '',
      stderr:
        discovery(2) + `Warning: the server doesn't have a resource type '${rest[2] ?? ''}'\n\n` + final,
      code: 1,
    };
  return { stdout: '', stderr: discovery(DISCOVERY_ATTEMPTS[command] ?? 5, timeoutFlag) + final, code: 1 };
}

function fileArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-f' || args[i] === '--filename') out.push(args[++i] ?? '');
    else if (args[i].startsWith('--filename=')) out.push(args[i].slice('--filename='.length));
    else if (args[i].startsWith('-f') && args[i].length > 2) out.push(args[i].slice(2).replace(/^=/, ''));
  }
  return out;
}

function namespaceOf(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-n' || args[i] === '--namespace') return args[i + 1] ?? 'default';
    if (args[i].startsWith('--namespace=')) return args[i].slice('--namespace='.length);
  }
  return 'default';
}
