import { FlagError, findCommandWords, ParsedArgs, parseArgs } from './argv';
import { CommandDef, GLOBAL_FLAGS, withGlobalFlags } from './command';
import { COMMANDS } from './commands';
import { KubectlContext } from './context';
import { formatError } from './errors';
import { actingUser, IMPERSONATION_FLAGS, impersonatingContext } from './impersonation';
import { noteNamespace } from './effects';
import { commandHelp, rootHelp } from './help';
import {
  flagsFor,
  groupWithoutSubcommand,
  optionsHelp,
  realHelp,
  realSubcommand,
  rejectUnavailableFlags,
  suggestionsFor,
  unknownHelpTopic,
} from './real-kubectl';

/** Every top-level kubectl v1.30 command, for "Did you mean this?" and for naming the ones the lab lacks. */
export const KUBECTL_TOP_LEVEL = [
  'alpha',
  'annotate',
  'api-resources',
  'api-versions',
  'apply',
  'attach',
  'auth',
  'autoscale',
  'certificate',
  'cluster-info',
  'completion',
  'config',
  'cordon',
  'cp',
  'create',
  'debug',
  'delete',
  'describe',
  'diff',
  'drain',
  'edit',
  'events',
  'exec',
  'explain',
  'expose',
  'get',
  'help',
  'kustomize',
  'label',
  'logs',
  'options',
  'patch',
  'plugin',
  'port-forward',
  'proxy',
  'replace',
  'rollout',
  'run',
  'scale',
  'set',
  'taint',
  'top',
  'uncordon',
  'version',
  'wait',
];

/** Commands that only group subcommands (`kubectl rollout status`). */
const GROUPS = ['auth', 'create', 'rollout', 'set', 'config', 'top'];
/** Aliases of groups inside a group (`kubectl create svc clusterip`). */
const GROUP_ALIASES: Record<string, Record<string, string>> = { create: { svc: 'service' } };
/** Real subcommands of a group that the lab does not serve: they say so instead of "unknown command". */
const UNSERVED: Record<string, string[]> = {
  config: [
    'delete-cluster',
    'delete-user',
    'rename-context',
    'set',
    'set-cluster',
    'set-credentials',
    'unset',
  ],
};

const startsWith = (path: string[], prefix: string[]) => prefix.every((word, i) => path[i] === word);

/** The commands below a group path (`create`, `create secret`), in COMMANDS order: worked out once per group. */
const commandsBelow = new Map<string, CommandDef[]>();

function commandsInGroup(groupPath: string[]): CommandDef[] {
  const key = groupPath.join(' ');
  let group = commandsBelow.get(key);
  if (!group) {
    group = COMMANDS.filter((c) => c.path.length > groupPath.length && startsWith(c.path, groupPath));
    commandsBelow.set(key, group);
  }
  return group;
}

/**
 * Runs `kubectl <argv>`: finds the command like cobra, parses its flags like pflag, runs it, and prints errors the
 * way kubectl's CheckErr does. Resolves with the exit code.
 */
export async function runKubectl(argv: readonly string[], ctx: KubectlContext): Promise<number> {
  let commandPath = 'kubectl';
  try {
    const rootFlags = flagsFor('', GLOBAL_FLAGS);
    const words = findCommandWords(argv, rootFlags, 3);
    if (words.length === 0) {
      const parsed = parseArgs(argv, rootFlags);
      ctx.stdout(rootHelp());
      void parsed;
      return 0;
    }
    const verb = argv[words[0]];
    if (!KUBECTL_TOP_LEVEL.includes(verb)) {
      return fail(ctx, `error: unknown command "${verb}" for "kubectl"${suggestionsFor(verb)}\n`);
    }
    if (verb === 'help' || verb === 'options') return helpOrOptions(verb, argv, words[0], ctx);
    let command: CommandDef | undefined;
    const consumed = [words[0]];
    // A group's subcommand may itself be a group (`create secret generic`): walk down one word at a time.
    for (let groupPath = [verb]; GROUPS.includes(verb) && !command;) {
      commandPath = `kubectl ${groupPath.join(' ')}`;
      const depth = groupPath.length;
      const typed = words.length > depth ? argv[words[depth]] : undefined;
      const sub = typed === undefined ? undefined : (GROUP_ALIASES[groupPath.join(' ')]?.[typed] ?? typed);
      const group = commandsInGroup(groupPath);
      const next = group.find(
        (c) => c.path[depth] === sub || (c.path.length === depth + 1 && c.aliases?.includes(sub ?? '')),
      );
      if (sub !== undefined && UNSERVED[groupPath.join(' ')]?.includes(sub))
        return fail(
          ctx,
          `error: "kubectl ${groupPath.join(' ')} ${sub}" is not available in this lab terminal (type 'help' to see what is)\n`,
        );
      if (next) {
        consumed.push(words[depth]);
        if (next.path.length === depth + 1) command = next;
        else groupPath = next.path.slice(0, depth + 1);
        continue;
      }
      // A real subcommand the lab does not serve (`create job`) is named as such.
      const real = sub === undefined ? undefined : realSubcommand(groupPath.join(' '), sub);
      if (real !== undefined)
        return fail(
          ctx,
          `error: "kubectl ${[...groupPath, real].join(' ')}" is not available in this lab terminal (type 'help' to see what is)\n`,
        );
      const rest = parseArgs(
        argv.filter((_, i) => !consumed.includes(i)),
        flagsFor(groupPath.join(' '), [...GLOBAL_FLAGS, ...unionFlags(group)]),
      );
      for (const warning of rest.warnings) ctx.stderr(`${warning}\n`);
      if (rest.flags.help) {
        ctx.stdout(commandHelp(groupPath.join(' '), group));
        return 0;
      }
      const { stream, prefix } = groupWithoutSubcommand(groupPath.join(' '));
      if (sub !== undefined)
        return fail(
          ctx,
          `${prefix}error: unknown command "${rest.positional.join(' ')}"\nSee '${commandPath} -h' for help and examples\n`,
        );
      ctx[stream](prefix + commandHelp(groupPath.join(' '), group));
      return 1;
    }
    if (!GROUPS.includes(verb)) {
      command = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === verb);
    }
    if (!command)
      return fail(
        ctx,
        `error: "kubectl ${verb}" is not available in this lab terminal (type 'help' to see what is)\n`,
      );
    commandPath = `kubectl ${command.path.join(' ')}`;
    const rest = argv.filter((_, i) => !consumed.includes(i));
    const own = withGlobalFlags(command.flags);
    const args = parseArgs(rest, flagsFor(command.path.join(' '), own));
    args.commandWords = consumed.map((i) => argv[i]);
    for (const warning of args.warnings) ctx.stderr(`${warning}\n`);
    // Without -n, the current context's namespace applies (not marked as given: dry runs leave it out).
    if (!args.changed.has('namespace')) args.flags.namespace = ctx.cluster.kubeconfig.namespace();
    noteNamespace(ctx, args.flags, { config: command.path[0] === 'config' });
    if (args.flags.help) {
      ctx.stdout(commandHelp(command.path.join(' '), [command]));
      return 0;
    }
    rejectUnavailableFlags(args, [...own, ...IMPERSONATION_FLAGS]);
    // `--as`: the command's API calls are authorised for that user.
    const acting = args.changed.has('as') || args.changed.has('as-group');
    const runCtx = acting ? impersonatingContext(ctx, actingUser(args)) : ctx;
    const code = await command.run(runCtx, args);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    // `kubectl help --foo`: the error names `kubectl help`.
    const named = (error as { commandPath?: unknown } | null)?.commandPath;
    if (typeof named === 'string') commandPath = named;
    if (error instanceof FlagError && commandPath === 'kubectl') {
      return fail(ctx, `error: ${error.message}\nSee 'kubectl --help' for usage.\n`);
    }
    const { text, exitCode } = formatError(error, commandPath);
    if (text) ctx.stderr(text);
    return exitCode;
  }
}

function fail(ctx: KubectlContext, text: string): number {
  ctx.stderr(text);
  return 1;
}

function unionFlags(commands: CommandDef[]) {
  const seen = new Map<string, CommandDef['flags'][number]>();
  for (const c of commands) for (const f of c.flags) seen.set(f.name, f);
  return [...seen.values()];
}

/**
 * `kubectl help [COMMAND...]` (cobra's help command: the help of the deepest command the words name, or "Unknown help
 * topic" and the root's usage on stderr) and `kubectl options` (the global flags).
 */
function helpOrOptions(verb: string, argv: readonly string[], at: number, ctx: KubectlContext): number {
  let args: ParsedArgs;
  try {
    args = parseArgs(
      argv.filter((_, i) => i !== at),
      flagsFor(verb, GLOBAL_FLAGS),
    );
  } catch (error) {
    // `kubectl options` has a flag error function of its own.
    if (verb === 'options' && error instanceof FlagError)
      return fail(ctx, `error: ${error.message}\nRun 'kubectl options' without flags.\n`);
    throw Object.assign(error as Error, { commandPath: `kubectl ${verb}` });
  }
  if (verb === 'options') {
    // `kubectl options -h` prints nothing: its help is the list itself.
    if (!args.flags.help) ctx.stdout(optionsHelp());
    return 0;
  }
  if (args.flags.help) {
    ctx.stdout(realHelp(verb) as string);
    return 0;
  }
  const path: string[] = [];
  for (const word of args.positional) {
    const sub = realSubcommand(path.join(' '), word);
    if (sub === undefined) break;
    path.push(sub);
  }
  if (path.length === 0 && args.positional.length > 0) {
    ctx.stderr(unknownHelpTopic(args.positional));
    return 0;
  }
  const topic = path.join(' ');
  const served =
    path.length === 0 ||
    topic === 'help' ||
    COMMANDS.some((c) => c.path.join(' ') === topic || c.path.join(' ').startsWith(`${topic} `));
  if (!served)
    return fail(
      ctx,
      `error: "kubectl ${topic}" is not available in this lab terminal (type 'help' to see what is)\n`,
    );
  ctx.stdout(realHelp(topic) as string);
  return 0;
}
