import { FlagError, findCommandWords, parseArgs } from './argv';
import { CommandDef, GLOBAL_FLAGS } from './command';
import { COMMANDS } from './commands';
import { KubectlContext } from './context';
import { formatError } from './errors';
import { commandHelp, rootHelp } from './help';
import { levenshtein } from './suggest';

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
const GROUPS = ['create', 'rollout', 'set'];

/**
 * Runs `kubectl <argv>`: finds the command like cobra, parses its flags like pflag, runs it, and prints errors the
 * way kubectl's CheckErr does. Resolves with the exit code.
 */
export async function runKubectl(argv: readonly string[], ctx: KubectlContext): Promise<number> {
  let commandPath = 'kubectl';
  try {
    const words = findCommandWords(argv, GLOBAL_FLAGS, 2);
    if (words.length === 0) {
      const parsed = parseArgs(argv, GLOBAL_FLAGS);
      ctx.stdout(rootHelp());
      void parsed;
      return 0;
    }
    const verb = argv[words[0]];
    if (!KUBECTL_TOP_LEVEL.includes(verb)) {
      return fail(ctx, `error: unknown command "${verb}" for "kubectl"${suggestions(verb)}\n`);
    }
    let command: CommandDef | undefined;
    let consumed = [words[0]];
    if (GROUPS.includes(verb)) {
      commandPath = `kubectl ${verb}`;
      const sub = words.length > 1 ? argv[words[1]] : undefined;
      command = COMMANDS.find(
        (c) =>
          c.path[0] === verb && c.path.length === 2 && (c.path[1] === sub || c.aliases?.includes(sub ?? '')),
      );
      if (command) consumed = [words[0], words[1]];
      else {
        const group = COMMANDS.filter((c) => c.path[0] === verb);
        const rest = parseArgs(
          argv.filter((_, i) => i !== words[0]),
          [...GLOBAL_FLAGS, ...unionFlags(group)],
        );
        if (rest.flags.help) {
          ctx.stdout(commandHelp(verb, group));
          return 0;
        }
        if (sub !== undefined)
          return fail(
            ctx,
            `error: unknown command "${rest.positional.join(' ')}"\nSee '${commandPath} -h' for help and examples\n`,
          );
        ctx.stderr(commandHelp(verb, group));
        return 1;
      }
    } else {
      command = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === verb);
    }
    if (!command)
      return fail(
        ctx,
        `error: "kubectl ${verb}" is not available in this lab terminal (type 'help' to see what is)\n`,
      );
    commandPath = `kubectl ${command.path.join(' ')}`;
    const rest = argv.filter((_, i) => !consumed.includes(i));
    const args = parseArgs(rest, [...GLOBAL_FLAGS, ...command.flags]);
    if (args.flags.help) {
      ctx.stdout(commandHelp(command.path.join(' '), [command]));
      return 0;
    }
    const code = await command.run(ctx, args);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
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

/** cobra's findSuggestions: Levenshtein distance ≤ 2 (case-insensitive) or a prefix match. */
function suggestions(typed: string): string {
  const lower = typed.toLowerCase();
  const found = KUBECTL_TOP_LEVEL.filter((name) => levenshtein(lower, name) <= 2 || name.startsWith(lower));
  if (found.length === 0) return '';
  return `\n\nDid you mean this?\n${found.map((f) => `\t${f}\n`).join('')}`.replace(/\n$/, '');
}
