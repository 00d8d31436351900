import type { AppConfig } from '../../config/app-config';
import { JsonLogger, renderJson } from './json-logger';
import { renderPrettyLine } from './pretty-line';

/** Where the logs go: stdout, or a stand-in with the same two properties in tests. */
export interface LogStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * The process's logger as LOG_FORMAT says: `auto` (the default) writes readable lines when stdout is a
 * terminal, so someone running the platform by hand can follow it, and JSON lines otherwise (production,
 * containers, tests, files). Colours only ever go to a terminal.
 */
export function createLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat'>,
  service: string,
  stream: LogStream = process.stdout,
): JsonLogger {
  const terminal = stream.isTTY === true;
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && terminal);
  const render = pretty
    ? (entry: Parameters<typeof renderJson>[0]) => renderPrettyLine(entry, { colour: terminal })
    : renderJson;
  return new JsonLogger(config.logLevel, service, (line) => stream.write(line + '\n'), render);
}
