/**
 * What the file commands share: the home, the shell's working directory, and coreutils' way of reporting errors
 * (`prog: 'path': strerror` or `prog: path: strerror`, `Try 'prog --help'`), so every command prints exactly what
 * GNU coreutils 8.32 / 9.x prints for the same mistake.
 */
import { HomeDirectory, HomeError, OUTSIDE_MESSAGE } from './home-directory';

export interface FileContext {
  home: HomeDirectory;
  /** The working directory as a key of the home ('' is the home itself). */
  cwd: string;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** The message after `prog: path: ` for an error thrown by the home (or by code that meant to). */
export function reason(error: unknown): string {
  if (error instanceof HomeError) return error.message;
  throw error;
}

/** Whether a path error is the home refusing to leave itself (reported with the same words by every command). */
export function isOutside(error: unknown): boolean {
  return error instanceof HomeError && error.code === 'OUTSIDE';
}

export { OUTSIDE_MESSAGE };

/** coreutils' usage error: `prog: message` and `Try 'prog --help' for more information.` */
export function usage(ctx: FileContext, prog: string, message: string, code = 1): number {
  ctx.stderr(`${prog}: ${message}\nTry '${prog} --help' for more information.\n`);
  return code;
}

/**
 * Splits coreutils-style arguments: short options may be grouped (`-rf`), `--` ends options, a lone `-` is an
 * operand. `known` maps each accepted option (short letter or long name) to the flag it sets. Returns the usage
 * error text for an unknown option.
 */
export function parseOptions(
  args: readonly string[],
  known: Record<string, string>,
): { flags: Set<string>; operands: string[] } | { error: string } {
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const flag = known[arg.slice(2)];
      if (flag === undefined) return { error: `unrecognized option '${arg}'` };
      flags.add(flag);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const c of arg.slice(1)) {
        const flag = known[c];
        if (flag === undefined) return { error: `invalid option -- '${c}'` };
        flags.add(flag);
      }
    } else operands.push(arg);
  }
  return { flags, operands };
}
