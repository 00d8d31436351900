import { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../../config/app-config';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One log record before it is rendered: time, level, service, Nest context, msg and any fields of its own. */
export type LogEntry = Record<string, unknown> & { time: string; level: LogLevel; service: string };

/**
 * Nest announces every module, controller, route and websocket message at start-up (a hundred lines
 * here). Operators need them only when debugging routing, so they are logged at debug level.
 */
const STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

export const renderJson = (entry: LogEntry): string => JSON.stringify(entry);

/**
 * Structured logs: one record per message, rendered as a JSON line by default, so log shippers need no
 * parsing rules (createLogger picks readable lines for a terminal). Implements Nest's LoggerService so
 * framework messages come out in the same shape.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: LogLevel = 'info',
    private readonly service = 'kubelab',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    private readonly render: (entry: LogEntry) => string = renderJson,
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(requested: LogLevel, message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const level = requested === 'info' && context && STARTUP_CONTEXTS.has(context) ? 'debug' : requested;
    if (rank[level] < rank[this.minimum]) return;
    const entry: LogEntry = { time: new Date().toISOString(), level, service: this.service };
    if (context) entry.context = context;
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    for (const extra of rest) {
      if (typeof extra === 'string' && level === 'error') entry.stack = extra;
      else if (extra !== undefined) entry.detail = extra;
    }
    this.write(this.render(entry));
  }
}
