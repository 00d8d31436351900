import type { LogLevel } from '../../config/app-config';
import type { LogEntry } from './json-logger';

const ANSI = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};
const LEVEL_COLOUR: Record<LogLevel, string> = {
  debug: ANSI.dim,
  info: ANSI.green,
  warn: ANSI.yellow,
  error: ANSI.red,
};
/** Shown in the fixed part of the line, or left out because it is the same on every line of a process. */
const FIXED_FIELDS = new Set(['time', 'level', 'service', 'context', 'msg', 'stack']);

/** `key=value`: a plain word as it is, anything with spaces, quotes or structure as JSON. */
function field(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`;
  if (value instanceof Error) return `${key}=${JSON.stringify(value.message)}`;
  return `${key}=${JSON.stringify(value) ?? String(value)}`;
}

function clockTime(iso: string): string {
  const time = new Date(iso);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
}

/**
 * A log record as a person reads it on a terminal: `12:04:31.207 INFO  [Context] message key=value …`,
 * local time, colours only when asked (a TTY); an error's stack follows on indented lines.
 */
export function renderPrettyLine(entry: LogEntry, { colour }: { colour: boolean }): string {
  const paint = (code: string, text: string) => (colour ? `${code}${text}${ANSI.reset}` : text);
  const parts = [
    paint(ANSI.dim, clockTime(entry.time)),
    paint(LEVEL_COLOUR[entry.level], entry.level.toUpperCase().padEnd(5)),
  ];
  if (typeof entry.context === 'string') parts.push(paint(ANSI.cyan, `[${entry.context}]`));
  if (entry.msg !== undefined) parts.push(String(entry.msg));
  for (const [key, value] of Object.entries(entry)) {
    if (!FIXED_FIELDS.has(key) && value !== undefined) parts.push(paint(ANSI.dim, field(key, value)));
  }
  const line = parts.join(' ');
  if (typeof entry.stack !== 'string') return line;
  const stack = withoutRepeatedMessage(entry.stack, entry.msg)
    .split('\n')
    .filter((stackLine) => stackLine.trim() !== '')
    .map((stackLine) => `    ${stackLine.trim()}`);
  return [line, ...stack.map((stackLine) => paint(ANSI.dim, stackLine))].join('\n');
}

/** A stack starts with `Name: message`; the message is already on the line above, so only the name stays. */
function withoutRepeatedMessage(stack: string, msg: unknown): string {
  const header = /^[\w$.]*: /.exec(stack);
  if (!header || typeof msg !== 'string' || !stack.startsWith(header[0] + msg)) return stack;
  return header[0].slice(0, -2) + stack.slice(header[0].length + msg.length);
}
