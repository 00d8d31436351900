/**
 * Reference solutions are terminal lines. A line `# advance 30s` moves the simulated clock (durations like
 * 500ms, 30s, 2m, 1m30s); any other line starting with `#` is a comment for the reader.
 */

export type SolutionLine =
  { kind: 'command'; line: string } | { kind: 'advance'; ms: number } | { kind: 'comment'; text: string };

const ADVANCE = /^#\s*advance\s+(.*)$/;
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0));
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** Classifies a solution line; a malformed `# advance` yields an error message. */
export function parseSolutionLine(line: string): SolutionLine | { kind: 'error'; message: string } {
  const trimmed = line.trim();
  const advance = ADVANCE.exec(trimmed);
  if (advance) {
    const ms = parseDuration(advance[1]);
    if (ms === undefined)
      return { kind: 'error', message: `bad duration "${advance[1]}" (e.g. 500ms, 30s, 2m, 1m30s)` };
    return { kind: 'advance', ms };
  }
  if (trimmed.startsWith('#')) return { kind: 'comment', text: trimmed };
  return { kind: 'command', line: trimmed };
}
