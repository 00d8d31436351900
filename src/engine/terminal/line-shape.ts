/**
 * What kind of run a line is, decided before it runs: the platform starts a background job for ` &`, answers job
 * control from its own job table, forwards what the student types to commands that read it, and gives commands
 * that follow the cluster until Ctrl-C a longer limit. Tolerant on purpose: a line that does not tokenize is
 * 'foreground', and running it prints the syntax error.
 */
import { heredocsComplete, literalText, ShellSyntaxError, tokenize, Word } from './tokenizer';

export type LineShape =
  /** `lasting`: follows changes until Ctrl-C (watches, follows, port-forward, proxy, attach, rollout status, drain). */
  | { kind: 'foreground'; text: string; lasting: boolean }
  /**
   * Reads what the student types: `inputPrompt` is what the terminal shows before each typed line ('> ' for the rest
   * of an open here-document; once `isComplete(text)`, ask again for the shape of the whole text).
   */
  | {
      kind: 'interactive';
      text: string;
      inputPrompt: string;
      /** Reads nothing typed, only the editor pane (`kubectl edit`): a backend without typed input can run it. */
      editorOnly?: true;
    }
  /** A line ending in `&`; `text` is the line without it (here-document bodies kept), to run as a job. */
  | { kind: 'background'; text: string }
  /** A job-control builtin, answered from the job table (job-control.ts). */
  | { kind: 'job-control'; text: string; builtin: JobControlBuiltin };

export type JobControlBuiltin = 'jobs' | 'kill' | 'fg' | 'bg' | 'wait' | 'disown';

export const JOB_CONTROL_BUILTINS: readonly JobControlBuiltin[] = [
  'jobs',
  'kill',
  'fg',
  'bg',
  'wait',
  'disown',
];

const EDITORS = ['vim', 'vi', 'nano'];

/**
 * The file a `vim FILE` / `vi FILE` / `nano FILE` line names (as typed), for the web page to open in its editor pane;
 * undefined for any other line.
 */
export function editorTarget(text: string): string | undefined {
  try {
    const [stage, ...more] = tokenize(text).stages;
    if (!stage || more.length > 0) return undefined;
    const words = stage.map(wordText);
    const files = words.slice(1).filter((w) => !w.startsWith('-') && !w.startsWith('+'));
    return EDITORS.includes(words[0]) && files.length === 1 && files[0] !== '\u0000' ? files[0] : undefined;
  } catch (error) {
    if (error instanceof ShellSyntaxError) return undefined;
    throw error;
  }
}

export function lineShape(text: string): LineShape {
  const background = withoutTrailingAmpersand(text);
  let parsed: ReturnType<typeof tokenize>;
  try {
    parsed = tokenize(background ?? text);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { kind: 'foreground', text, lasting: false };
    throw error;
  }
  // The body comes first: a background line with an open here-document is a job only once its body is complete.
  if (!heredocsComplete(parsed.heredocs)) return { kind: 'interactive', text, inputPrompt: '> ' };
  if (background !== undefined) return { kind: 'background', text: background };
  const stages = parsed.stages.map((stage) => stage.map(wordText));
  if (stages.length === 0) return { kind: 'foreground', text, lasting: false };
  const [first] = stages;
  const builtin = JOB_CONTROL_BUILTINS.find((name) => name === first[0]);
  if (builtin && stages.length === 1) return { kind: 'job-control', text, builtin };
  const fedByHeredoc = parsed.heredocs.some((h) => h.stage === 0);
  if (!fedByHeredoc && readsTerminal(first))
    return { kind: 'interactive', text, inputPrompt: '', ...(editsOnly(first) ? { editorOnly: true } : {}) };
  return { kind: 'foreground', text, lasting: stages.some(isLasting) };
}

/** Whether `text` (possibly several lines) is one complete command: false while a here-document is still open. */
export function isComplete(text: string): boolean {
  try {
    return heredocsComplete(tokenize(withoutTrailingAmpersand(text) ?? text).heredocs);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return true;
    throw error;
  }
}

/** Words with expansions become a placeholder no option or name matches. */
function wordText(word: Word): string {
  return literalText(word) ?? '\u0000';
}

/** The first stage of a line without a here-document reads the terminal. */
function readsTerminal(argv: string[]): boolean {
  const [name, ...args] = argv;
  if (name === 'read') return true;
  if (name === 'cat') return args.length === 0 || args.includes('-');
  if (name !== 'kubectl') return false;
  return kubectlVerb(args).verb === 'edit' || kubectlReadsStdin(args);
}

/** `kubectl edit` without `-f -`: it waits for the editor, not for typed input. */
function editsOnly(argv: string[]): boolean {
  const [name, ...args] = argv;
  return name === 'kubectl' && kubectlVerb(args).verb === 'edit' && !readsStdin(args);
}

/** The kubectl commands whose `-f -` reads stdin. */
const STDIN_VERBS = ['apply', 'create', 'delete', 'replace', 'diff'];

/** `kubectl apply|create|delete|replace|diff ... -f -` (argv without `kubectl`, or with it): kubectl reading stdin. */
export function kubectlReadsStdin(argv: readonly string[]): boolean {
  const args = argv[0] === 'kubectl' ? argv.slice(1) : argv;
  const { verb } = kubectlVerb(args);
  return STDIN_VERBS.includes(verb ?? '') && readsStdin(args);
}

/** `-f -`, `-f=-`, `--filename -`, `--filename=-`. */
export function readsStdin(args: readonly string[]): boolean {
  return args.some(
    (arg, i) =>
      ((arg === '-f' || arg === '--filename') && args[i + 1] === '-') ||
      arg === '-f=-' ||
      arg === '--filename=-',
  );
}

/** kubectl's global flags that take a value in the next word. */
const GLOBAL_VALUE_FLAGS = [
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '--server',
  '--token',
  '--as',
  '--request-timeout',
];

function kubectlVerb(args: readonly string[]): { verb?: string; sub?: string } {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg === '-n' || arg === '-s' || GLOBAL_VALUE_FLAGS.includes(arg)) i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return { verb: words[0], sub: words[1] };
}

function isLasting(argv: string[]): boolean {
  const [name, ...args] = argv;
  // `minikube tunnel` and `minikube dashboard` run until Ctrl-C, as kubectl proxy does.
  if (name === 'minikube')
    return ['tunnel', 'dashboard'].includes(args.find((a) => !a.startsWith('-')) ?? '');
  if (name !== 'kubectl') return false;
  const { verb, sub } = kubectlVerb(args);
  switch (verb) {
    // run -i attaches to the new pod's program until it ends (a server's: until Ctrl-C).
    case 'run':
      return boolFlag(args, 'stdin', 'i', 'lno') === true;
    case 'port-forward':
    case 'proxy':
    case 'attach':
    // drain retries evictions a disruption budget refuses until they pass or its --timeout runs out.
    case 'drain':
      return true;
    case 'get':
    case 'events':
      return (
        boolFlag(args, 'watch', 'w', 'nolLfks') === true ||
        boolFlag(args, 'watch-only', undefined, '') === true
      );
    case 'logs':
      return boolFlag(args, 'follow', 'f', 'nclks') === true;
    case 'rollout':
      // rollout status watches unless told --watch=false.
      return sub === 'status' && boolFlag(args, 'watch', 'w', 'nfk') !== false;
    default:
      return false;
  }
}

/**
 * A pflag boolean: `--name`, `--name=true|false`, `-x`, `-x=false` or `x` in a group of short flags (`-Aw`) before
 * a flag that takes a value (`valueShorts`: `-owide` is -o with "wide"). Undefined when not given.
 */
function boolFlag(
  args: readonly string[],
  long: string,
  short: string | undefined,
  valueShorts: string,
): boolean | undefined {
  let value: boolean | undefined;
  for (const arg of args) {
    if (arg === '--') break;
    if (arg === `--${long}`) value = true;
    else if (arg.startsWith(`--${long}=`)) value = arg.slice(long.length + 3) !== 'false';
    else if (short && /^-[^-]/.test(arg)) {
      if (arg === `-${short}=false`) value = false;
      else
        for (const c of arg.slice(1)) {
          if (c === short) {
            value = true;
            break;
          }
          if (valueShorts.includes(c) || c === '=') break;
        }
    }
  }
  return value;
}

/**
 * The line without a trailing `&` (and the comment after it), here-document bodies kept; undefined unless the
 * command line ends in exactly one `&` with no other `&` on it (`a & b` is for the terminal to reject).
 */
export function withoutTrailingAmpersand(text: string): string | undefined {
  const ampersands: number[] = [];
  let commentAt: number | undefined;
  let end = text.length;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return undefined;
      i = j;
    } else if (c === '$' && text[i + 1] === '(') {
      depth++;
      i++;
    } else if (c === ')' && depth > 0) depth--;
    else if (depth > 0) continue;
    else if (c === '\n') {
      end = i;
      break;
    } else if (c === '#' && commentAt === undefined && (i === 0 || /[\s|&;<>(]/.test(text[i - 1]))) {
      commentAt = i;
      const newline = text.indexOf('\n', i);
      end = newline < 0 ? text.length : newline;
      break;
    } else if (c === '&') ampersands.push(i);
  }
  const command = text.slice(0, commentAt ?? end).trimEnd();
  const last = command.length - 1;
  if (ampersands.length !== 1 || ampersands[0] !== last || '|>&'.includes(command[last - 1] ?? ''))
    return undefined;
  const before = command.slice(0, last).trimEnd();
  if (before === '') return undefined;
  return before + text.slice(end);
}
