/**
 * The programs that read standard input: `cat` (no file, or `-`) and the `read` builtin. Their input is the
 * student's typing, a here-document body or a pipe (see input.ts).
 */
import type { FileContext } from './home/file-context';
import { reason } from './home/file-context';
import type { InputSource } from './input';
import type { ProgramIO } from './programs';

/** `cat [FILE | -]...`: files of the home directory; `-` or no operand copies stdin as lines arrive. */
export async function runCat(
  io: FileContext,
  args: string[],
  stdin: InputSource,
  signal?: AbortSignal,
): Promise<number> {
  let code = 0;
  for (const name of args.length === 0 ? ['-'] : args) {
    if (name === '-') {
      for (let line = await stdin.readLine(signal); line !== null; line = await stdin.readLine(signal))
        io.stdout(`${line}\n`);
      continue;
    }
    try {
      io.stdout(io.home.readFile(name, io.cwd));
    } catch (error) {
      io.stderr(`cat: ${name}: ${reason(error)}\n`);
      code = 1;
    }
  }
  return code;
}

const READ_USAGE =
  'read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n';
/** read's options that take a value (bash's getopt string "ersa:d:i:n:N:p:t:u:"). */
const VALUE_OPTIONS = 'adinNptu';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ReadResult {
  exitCode: number;
  /** The variables to set (empty on errors before reading). */
  assignments: [string, string][];
}

/**
 * `read [-r] [-s] [-p PROMPT] [NAME...]` as bash's builtin: the prompt goes to stderr when stdin is the terminal,
 * one line is read (a backslash-newline continues it unless -r), and its words go to the names, the last name taking
 * the rest of the line; no name sets REPLY to the whole line. At end of input the names are set empty and the
 * status is 1.
 */
export async function runRead(
  args: string[],
  stdin: InputSource,
  io: Pick<ProgramIO, 'stderr'>,
  options: { fromTerminal: boolean; signal?: AbortSignal },
): Promise<ReadResult> {
  const failed = (stderr: string, exitCode: number): ReadResult => {
    io.stderr(stderr);
    return { exitCode, assignments: [] };
  };
  let raw = false;
  let prompt: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const option = arg[j];
      if (option === 'r') raw = true;
      else if (option === 's' || option === 'e')
        continue; // echo and line editing are the web terminal's
      else if (VALUE_OPTIONS.includes(option)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined)
          return failed(`bash: read: -${option}: option requires an argument\n${READ_USAGE}`, 2);
        if (option !== 'p')
          return failed(
            `bash: read: -${option}: not available in this lab terminal (read -r and read -p PROMPT are)\n`,
            2,
          );
        prompt = value;
        break;
      } else return failed(`bash: read: -${option}: invalid option\n${READ_USAGE}`, 2);
    }
  }
  const names = args.slice(i);
  const invalid = names.find((name) => !IDENTIFIER.test(name));
  if (invalid !== undefined) return failed(`bash: read: \`${invalid}': not a valid identifier\n`, 1);

  if (prompt !== undefined && options.fromTerminal) io.stderr(prompt);
  // Characters of the line, each marked when a backslash escaped it (escaped blanks do not split words).
  const chars: { c: string; escaped: boolean }[] = [];
  let ended = false;
  for (;;) {
    const line = await stdin.readLine(options.signal);
    if (line === null) {
      ended = true;
      break;
    }
    let continued = false;
    for (let k = 0; k < line.length; k++) {
      if (!raw && line[k] === '\\') {
        if (k + 1 < line.length) chars.push({ c: line[++k], escaped: true });
        else continued = true;
      } else chars.push({ c: line[k], escaped: false });
    }
    if (!continued) break;
  }
  const eof = ended && chars.length === 0;
  const assignments = splitFields(chars, names.length === 0 ? ['REPLY'] : names, names.length === 0);
  return {
    exitCode: ended ? 1 : 0,
    assignments: eof ? assignments.map(([name]) => [name, '']) : assignments,
  };
}

function splitFields(
  chars: { c: string; escaped: boolean }[],
  names: string[],
  whole: boolean,
): [string, string][] {
  const text = (from: number, to: number) =>
    chars
      .slice(from, to)
      .map((ch) => ch.c)
      .join('');
  if (whole) return [[names[0], text(0, chars.length)]];
  const blank = (k: number) => !chars[k].escaped && (chars[k].c === ' ' || chars[k].c === '\t');
  const out: [string, string][] = [];
  let k = 0;
  names.forEach((name, index) => {
    while (k < chars.length && blank(k)) k++;
    if (index === names.length - 1) {
      let end = chars.length;
      while (end > k && blank(end - 1)) end--;
      out.push([name, text(k, end)]);
      k = chars.length;
      return;
    }
    const start = k;
    while (k < chars.length && !blank(k)) k++;
    out.push([name, text(start, k)]);
  });
  return out;
}
