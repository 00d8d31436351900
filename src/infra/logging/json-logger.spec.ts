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

  it("logs Nest's start-up announcements at debug level, shown only when LOG_LEVEL=debug", () => {
    const quiet = capture('info');
    quiet.logger.log('Mapped {/api/health, GET} route', 'RouterExplorer');
    quiet.logger.log('ApiModule dependencies initialized', 'InstanceLoader');
    quiet.logger.log('HealthController {/api/health}:', 'RoutesResolver');
    quiet.logger.log({ msg: 'API listening' }, 'Bootstrap');
    expect(quiet.entries().map((entry) => entry.msg)).toEqual(['API listening']);

    const verbose = capture('debug');
    verbose.logger.log('Mapped {/api/health, GET} route', 'RouterExplorer');
    expect(verbose.entries()).toEqual([
      expect.objectContaining({
        level: 'debug',
        context: 'RouterExplorer',
        msg: 'Mapped {/api/health, GET} route',
      }),
    ]);
  });

  it('keeps warnings and errors of those contexts at their own level', () => {
    const { logger, entries } = capture('warn');
    logger.warn('route shadowed', 'RouterExplorer');
    expect(entries()).toEqual([expect.objectContaining({ level: 'warn', context: 'RouterExplorer' })]);
  });
});
