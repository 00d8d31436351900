/**
 * Reading the rest of a here-document as a shell does before it runs the line: the lines typed after the command
 * line (interactive shells get them one at a time) fill the open bodies in order up to their delimiter lines. The
 * lab terminal (bash) and the pod shells (`kubectl exec -ti POD -- sh`) both read their bodies here.
 */
import { type InputSource } from './input';
import { addHeredocLine, type Heredoc } from './tokenizer';

/**
 * Fills `heredocs`' open bodies from `stdin`. At end of input the open body ends where it is, as shells do, and
 * `warning` says what the shell prints then.
 */
export async function readHeredocBodies(
  heredocs: Heredoc[],
  stdin: InputSource,
  warning: (open: Heredoc) => string,
  io: { stderr(chunk: string): void; signal?: AbortSignal },
): Promise<void> {
  for (let open = heredocs.find((h) => !h.complete); open; open = heredocs.find((h) => !h.complete)) {
    const line = await stdin.readLine(io.signal);
    if (line !== null) {
      addHeredocLine(heredocs, line);
      continue;
    }
    io.stderr(warning(open));
    open.complete = true;
  }
}
