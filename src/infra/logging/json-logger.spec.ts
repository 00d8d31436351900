import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  function capture(minimum: 'debug' | 'info' | 'warn' | 'error' = 'info') {
    const lines: string[] = [];
    const logger = new JsonLogger(minimum, 'api', (line) => lines.push(line));
    return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it('writes one JSON object per message with level, service and Nest context', () => {
    const { logger, entries } = capture();
    logger.log('listening', 'Bootstrap');
    expect(entries()).toEqual([
      expect.objectContaining({ level: 'info', service: 'api', context: 'Bootstrap', msg: 'listening' }),
    ]);
  });

  it('merges structured fields and drops messages below the minimum level', () => {
    const { logger, entries } = capture('warn');
    logger.log('hidden');
    logger.warn({ msg: 'slow command', durationMs: 950 });
    expect(entries()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'slow command', durationMs: 950 }),
    ]);
  });

  it('keeps the stack of errors', () => {
    const { logger, entries } = capture();
    logger.error(new Error('boom'));
    expect(entries()[0]).toMatchObject({ level: 'error', msg: 'boom' });
    expect(String(entries()[0].stack)).toContain('Error: boom');
  });
});
