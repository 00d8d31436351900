/**
 * `kubectl config view|get-contexts|current-context|use-context|set-context|delete-context|get-clusters|get-users`
 * over the lab machine's kubeconfig (reference kubectl-breadth §12.13; texts checked against kubectl v1.30).
 */
import {
  KUBECONFIG_PATH,
  type KubeconfigData,
  type NamedCluster,
  type NamedContext,
  type NamedUser,
} from '../../store/kubeconfig';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { renderJsonPath } from '../printers/jsonpath';
import { TabWriter, GET_TABLE_OPTIONS } from '../printers/tabwriter';
import { toGoYaml } from '../printers/yaml';
import { commandHelp } from '../help';

/** The file as clientcmd's v1 Config struct marshals it to JSON (field order of the Go structs). */
function structView(data: KubeconfigData): Record<string, unknown> {
  const list = <T>(items: T[]) => (items.length ? items : null);
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: list(
      data.clusters.map((c) => ({
        name: c.name,
        cluster: pick(c.cluster, [
          'server',
          'certificate-authority',
          'certificate-authority-data',
          'extensions',
        ]),
      })),
    ),
    users: list(data.users.map((u) => ({ name: u.name, user: { ...u.user } }))),
    contexts: list(
      data.contexts.map((c) => ({
        name: c.name,
        context: pick(c.context, ['cluster', 'user', 'namespace', 'extensions']),
      })),
    ),
    'current-context': data['current-context'],
  };
}

function pick(source: object, keys: string[]): Record<string, unknown> {
  const values = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (values[key] !== undefined && values[key] !== '') out[key] = values[key];
  return out;
}

/** `--minify`: only the current context, its cluster and its user. */
function minify(data: KubeconfigData): KubeconfigData {
  const current = data['current-context'];
  if (!current) throw new CommandError('current-context must exist in order to minify');
  const context = data.contexts.find((c) => c.name === current);
  if (!context) throw new CommandError(`cannot locate context ${current}`);
  return {
    clusters: data.clusters.filter((c) => c.name === context.context.cluster),
    contexts: [context],
    'current-context': current,
    users: data.users.filter((u) => u.name === context.context.user),
  };
}

/** `--flatten` embeds the certificate files, which `view` then shows as DATA+OMITTED (unless --raw). */
function flatten(data: KubeconfigData): KubeconfigData {
  const omitted = 'DATA+OMITTED';
  return {
    ...data,
    clusters: data.clusters.map((c): NamedCluster => {
      const { 'certificate-authority': file, ...rest } = c.cluster;
      return {
        name: c.name,
        cluster: file
          ? ({ ...rest, 'certificate-authority-data': omitted } as NamedCluster['cluster'])
          : rest,
      };
    }),
    users: data.users.map((u): NamedUser => {
      const user: Record<string, string> = {};
      if (u.user['client-certificate']) user['client-certificate-data'] = omitted;
      if (u.user['client-key']) user['client-key-data'] = omitted;
      return { name: u.name, user: user as NamedUser['user'] };
    }),
  };
}

export const configViewCommand: CommandDef = {
  path: ['config', 'view'],
  short: 'Display merged kubeconfig settings or a specified kubeconfig file',
  usage: 'kubectl config view [flags] [options]',
  flags: [
    flag.bool('allow-missing-template-keys', undefined, true),
    flag.bool(
      'flatten',
      undefined,
      false,
      'Flatten the resulting kubeconfig file into self-contained output',
    ),
    {
      name: 'merge',
      type: 'string',
      default: 'true',
      noOptDefault: 'true',
      description: 'Merge the full hierarchy of kubeconfig files',
    },
    flag.bool(
      'minify',
      undefined,
      false,
      'Remove all information not used by current-context from the output',
    ),
    { ...flag.output(), default: 'yaml' },
    flag.bool('raw', undefined, false, 'Display raw byte data and sensitive data'),
    flag.bool('show-managed-fields', undefined, false),
    flag.string('template', undefined, ''),
  ],
  run(ctx, args) {
    let data = ctx.cluster.kubeconfig.content as KubeconfigData;
    if (args.flags.minify) data = minify(data);
    if (args.flags.flatten) data = flatten(data);
    const view = structView(data);
    const output = args.flags.output as string;
    if (output === 'yaml') return void ctx.stdout(toGoYaml(view));
    if (output === 'json') return void ctx.stdout(JSON.stringify(view, null, 4) + '\n');
    if (output === 'name') return void ctx.stdout('config/<unknown>\n');
    const jsonpath = /^jsonpath=(.*)$/s.exec(output);
    if (jsonpath)
      return void ctx.stdout(renderJsonPath(jsonpath[1], JSON.parse(JSON.stringify(view)), 'float64'));
    throw new CommandError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml`,
    );
  },
};

export const configGetContextsCommand: CommandDef = {
  path: ['config', 'get-contexts'],
  short: 'Describe one or many contexts',
  usage: 'kubectl config get-contexts [(-o|--output=)name)] [options]',
  flags: [
    flag.bool(
      'no-headers',
      undefined,
      false,
      "When using the default or custom-column output format, don't print headers",
    ),
    flag.output(),
  ],
  run(ctx, args) {
    const data = ctx.cluster.kubeconfig.content;
    const output = args.flags.output as string;
    if (output !== '' && output !== 'name')
      throw new CommandError(`output must be one of '' or 'name': ${output}`);
    const wanted = args.positional;
    const found = wanted.length ? data.contexts.filter((c) => wanted.includes(c.name)) : data.contexts;
    const missing = wanted.filter((name) => !data.contexts.some((c) => c.name === name));
    if (output === 'name') {
      for (const c of found) ctx.stdout(`${c.name}\n`);
    } else {
      const writer = new TabWriter(GET_TABLE_OPTIONS);
      if (!args.flags['no-headers']) writer.write('CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n');
      for (const c of found) {
        const mark = c.name === data['current-context'] ? '*' : '';
        writer.write(
          `${mark}\t${c.name}\t${c.context.cluster}\t${c.context.user}\t${c.context.namespace ?? ''}\n`,
        );
      }
      ctx.stdout(writer.flush());
    }
    if (missing.length) throw new CommandError(missing.map((m) => `context ${m} not found`).join('\n'));
  },
};

export const configCurrentContextCommand: CommandDef = {
  path: ['config', 'current-context'],
  short: 'Display the current-context',
  usage: 'kubectl config current-context [options]',
  flags: [],
  run(ctx) {
    const current = ctx.cluster.kubeconfig.content['current-context'];
    if (!current) throw new CommandError('current-context is not set');
    ctx.stdout(`${current}\n`);
  },
};

/** Cobra's ExactArgs-style check of these commands: the help, then `error: Unexpected args: [...]`. */
function exactlyOne(ctx: KubectlContext, args: ParsedArgs, path: string): string {
  if (args.positional.length !== 1) {
    ctx.stdout(commandHelp(path, []));
    throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
  }
  return args.positional[0];
}

export const configUseContextCommand: CommandDef = {
  path: ['config', 'use-context'],
  aliases: ['use'],
  short: 'Set the current-context in a kubeconfig file',
  usage: 'kubectl config use-context CONTEXT_NAME [options]',
  flags: [],
  run(ctx, args) {
    const name = exactlyOne(ctx, args, 'config use-context');
    const kubeconfig = ctx.cluster.kubeconfig;
    if (!kubeconfig.content.contexts.some((c) => c.name === name))
      throw new CommandError(`no context exists with the name: ${JSON.stringify(name)}`);
    kubeconfig.update((draft) => (draft['current-context'] = name));
    ctx.stdout(`Switched to context ${JSON.stringify(name)}.\n`);
  },
};

export const configSetContextCommand: CommandDef = {
  path: ['config', 'set-context'],
  short: 'Set a context entry in kubeconfig',
  usage:
    'kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]',
  flags: [
    flag.string('cluster', undefined, '', 'cluster for the context entry in kubeconfig'),
    flag.bool('current', undefined, false, 'Modify the current context'),
    flag.string('user', undefined, '', 'user for the context entry in kubeconfig'),
  ],
  run(ctx, args) {
    const kubeconfig = ctx.cluster.kubeconfig;
    if (args.positional.length > 1 || (args.flags.current && args.positional.length > 0)) {
      ctx.stdout(commandHelp('config set-context', []));
      throw new CommandError(`Unexpected args: [${args.positional.join(' ')}]`);
    }
    const name = args.flags.current ? kubeconfig.content['current-context'] : (args.positional[0] ?? '');
    if (!name)
      throw new CommandError(
        args.flags.current
          ? 'no current context is set'
          : 'you must specify a non-empty context name or --current',
      );
    const exists = kubeconfig.content.contexts.some((c) => c.name === name);
    kubeconfig.update((draft) => {
      let entry = draft.contexts.find((c) => c.name === name);
      if (!entry) {
        entry = { name, context: { cluster: '', user: '' } } as NamedContext;
        draft.contexts.push(entry);
      }
      // Only the flags given change the entry; an empty value clears the field.
      if (args.changed.has('cluster')) entry.context.cluster = args.flags.cluster as string;
      if (args.changed.has('user')) entry.context.user = args.flags.user as string;
      if (args.changed.has('namespace')) {
        const namespace = args.flags.namespace as string;
        if (namespace) entry.context.namespace = namespace;
        else delete entry.context.namespace;
      }
    });
    ctx.stdout(`Context ${JSON.stringify(name)} ${exists ? 'modified' : 'created'}.\n`);
  },
};

export const configDeleteContextCommand: CommandDef = {
  path: ['config', 'delete-context'],
  short: 'Delete the specified context from the kubeconfig',
  usage: 'kubectl config delete-context NAME [options]',
  flags: [],
  run(ctx, args) {
    const name = exactlyOne(ctx, args, 'config delete-context');
    const kubeconfig = ctx.cluster.kubeconfig;
    if (!kubeconfig.content.contexts.some((c) => c.name === name))
      throw new CommandError(`cannot delete context ${name}, not in ${KUBECONFIG_PATH}`);
    if (kubeconfig.content['current-context'] === name)
      ctx.stderr(
        'warning: this removed your active context, use "kubectl config use-context" to select a different one\n',
      );
    kubeconfig.update((draft) => (draft.contexts = draft.contexts.filter((c) => c.name !== name)));
    ctx.stdout(`deleted context ${name} from ${KUBECONFIG_PATH}\n`);
  },
};

function namesCommand(which: 'clusters' | 'users', short: string): CommandDef {
  return {
    path: ['config', `get-${which}`],
    short,
    usage: `kubectl config get-${which} [options]`,
    flags: [],
    run(ctx) {
      const names = ctx.cluster.kubeconfig.content[which].map((entry) => entry.name);
      ctx.stdout(['NAME', ...names].map((n) => `${n}\n`).join(''));
    },
  };
}

export const configGetClustersCommand = namesCommand(
  'clusters',
  'Display clusters defined in the kubeconfig',
);
export const configGetUsersCommand = namesCommand('users', 'Display users defined in the kubeconfig');

export const CONFIG_COMMANDS: CommandDef[] = [
  configCurrentContextCommand,
  configDeleteContextCommand,
  configGetClustersCommand,
  configGetContextsCommand,
  configGetUsersCommand,
  configSetContextCommand,
  configUseContextCommand,
  configViewCommand,
];
