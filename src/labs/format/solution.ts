/**
 * Reference solutions are terminal lines, in the notation of the engine's transcript runner: a line
 * `# advance 30s` moves the simulated clock (durations as the runner reads them: 500ms, 30s, 2m, 1h30m);
 * any other line starting with `#` is a comment for the reader.
 */
import { parseDuration } from '../../engine/cli/transcript-runner';

export type SolutionLine =
  { kind: 'command'; line: string } | { kind: 'advance'; ms: number } | { kind: 'comment'; text: string };

const ADVANCE = /^#\s*advance\s+(.*)$/;

/** Classifies a solution line; a malformed `# advance` yields an error message. */
export function parseSolutionLine(line: string): SolutionLine | { kind: 'error'; message: string } {
  const trimmed = line.trim();
  const advance = ADVANCE.exec(trimmed);
  if (advance) {
    try {
      return { kind: 'advance', ms: parseDuration(advance[1].trim(), 1) };
    } catch {
      return { kind: 'error', message: `bad duration "${advance[1]}" (e.g. 500ms, 30s, 2m, 1h30m)` };
    }
  }
  if (trimmed.startsWith('#')) return { kind: 'comment', text: trimmed };
  return { kind: 'command', line: trimmed };
}
