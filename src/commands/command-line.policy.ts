import { posix } from 'node:path';
import { HOME } from '../engine/terminal/home/home-directory';
import { withoutTrailingAmpersand } from '../engine/terminal/line-shape';
import { literalText, ParsedLine, ShellSyntaxError, tokenize } from '../engine/terminal/tokenizer';

/** Programs a `$( … )` substitution may run; everything else is refused before anything is queued. */
const SUBSTITUTABLE = new Set(['minikube', 'kubectl']);

// C0 controls (bar tab), DEL and C1 controls: nothing a student types legitimately produces them.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// The same, where a block of several lines may have line breaks.
const CONTROL_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A here-document opened on a line: `<<EOF`, `<<-EOF`, `<<'EOF'`. */
const HEREDOC = /<<-?\s*['"]?[A-Za-z_0-9]/;
// Invalid UTF-8 reaches us as U+FFFD once the transport has decoded it; lone surrogates are invalid too.
const INVALID_TEXT = /\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type LineVerdict = { ok: true; line: string } | { ok: false; message: string };

/**
 * Decides whether a command line may be queued at all. It rejects what the lab terminal could never
 * run, so hostile input is answered with a clear message and never reaches a worker.
 */
export function checkCommandLine(
  raw: unknown,
  limits: { maxLineBytes: number; maxBlockBytes: number },
): LineVerdict {
  if (typeof raw !== 'string') return { ok: false, message: 'The command must be text.' };
  // A pasted block may come with Windows line ends; a typed line never has them.
  const input = raw.replace(/\r\n/g, '\n');
  // A heredoc typed or pasted whole is one command of several lines, with a larger limit.
  const block = input.replace(/\n+$/, '').includes('\n');
  const maxBytes = block ? limits.maxBlockBytes : limits.maxLineBytes;
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > maxBytes) {
    return { ok: false, message: `The command is too long: ${bytes} bytes (the limit is ${maxBytes}).` };
  }
  if (input.includes('\u0000')) return { ok: false, message: 'The command contains a NUL byte.' };
  if (INVALID_TEXT.test(input)) return { ok: false, message: 'The command is not valid UTF-8 text.' };
  if ((block ? CONTROL_IN_BLOCK : CONTROL).test(input)) {
    return { ok: false, message: 'The command contains control characters; type or paste plain text.' };
  }
  const line = input.trim();
  if (line.length === 0) return { ok: false, message: 'Type a command first.' };
  if (block && !HEREDOC.test(line.split('\n')[0])) {
    return {
      ok: false,
      message:
        'Several lines must form one command, a heredoc such as kubectl apply -f - <<EOF … EOF; send other commands one line at a time.',
    };
  }
  try {
    // A background job's `&` is the run's kind, not part of what the terminal runs.
    const parsed = tokenize(withoutTrailingAmpersand(line) ?? line);
    const refused = refusedSubstitution(parsed) ?? refusedRedirection(parsed);
    if (refused) return { ok: false, message: refused };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, line };
}

/**
 * Output goes only into the student's home. A target written as an absolute path elsewhere is refused here, before
 * anything is queued; a relative one can only be judged against the working directory, which the terminal does.
 */
function refusedRedirection(parsed: ParsedLine): string | undefined {
  for (const redirect of parsed.redirects) {
    const target = literalText(redirect.target);
    if (target === undefined || !target.startsWith('/')) continue;
    const normal = posix.normalize(target);
    if (normal !== HOME && !normal.startsWith(`${HOME}/`))
      return `${redirect.append ? '>>' : '>'} ${target} is not available in this lab terminal: output can be redirected only into files in ${HOME}.`;
  }
  return undefined;
}

function refusedSubstitution(parsed: ParsedLine, depth = 0): string | undefined {
  for (const stage of parsed.stages) {
    for (const word of stage) {
      for (const part of word.parts) {
        if (part.kind !== 'subst') continue;
        if (depth > 0) return 'Nested $( … ) is not available in this lab terminal.';
        const inner = tokenize(part.command);
        const program = inner.stages[0]?.[0] ? literalText(inner.stages[0][0]) : undefined;
        if (!program || !SUBSTITUTABLE.has(program)) {
          return `$( ${part.command.trim()} ) is not available in this lab terminal: only kubectl and minikube can be substituted.`;
        }
        const nested = refusedSubstitution(inner, depth + 1);
        if (nested) return nested;
      }
    }
  }
  return undefined;
}
