import { literalText, ParsedLine, ShellSyntaxError, tokenize } from '../engine/terminal/tokenizer';

/** Programs a `$( … )` substitution may run; everything else is refused before anything is queued. */
const SUBSTITUTABLE = new Set(['minikube', 'kubectl']);

// C0 controls (bar tab), DEL and C1 controls: nothing a student types legitimately produces them.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// Invalid UTF-8 reaches us as U+FFFD once the transport has decoded it; lone surrogates are invalid too.
const INVALID_TEXT = /\ufffd|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type LineVerdict = { ok: true; line: string } | { ok: false; message: string };

/**
 * Decides whether a command line may be queued at all. It rejects what the lab terminal could never
 * run, so hostile input is answered with a clear message and never reaches a worker.
 */
export function checkCommandLine(input: unknown, maxBytes: number): LineVerdict {
  if (typeof input !== 'string') return { ok: false, message: 'The command must be text.' };
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > maxBytes) {
    return { ok: false, message: `The command is too long: ${bytes} bytes (the limit is ${maxBytes}).` };
  }
  if (input.includes('\u0000')) return { ok: false, message: 'The command contains a NUL byte.' };
  if (INVALID_TEXT.test(input)) return { ok: false, message: 'The command is not valid UTF-8 text.' };
  if (CONTROL.test(input)) {
    return { ok: false, message: 'The command contains control characters; type or paste plain text.' };
  }
  const line = input.trim();
  if (line.length === 0) return { ok: false, message: 'Type a command first.' };
  try {
    const parsed = tokenize(line);
    const refused = refusedSubstitution(parsed);
    if (refused) return { ok: false, message: refused };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, line };
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
