import type { LogFormat, LogLevel } from '../../config/app-config';
import { createLogger, LogStream } from './create-logger';

/** A stand-in for stdout that records what is written, a terminal or not. */
function stream(isTTY: boolean): LogStream & { lines: () => string[] } {
  let text = '';
  return {
    isTTY,
    write: (chunk: string) => (text += chunk),
    lines: () => text.split('\n').filter((line) => line !== ''),
  };
}

const settings = (logFormat: LogFormat, logLevel: LogLevel = 'info') => ({ logFormat, logLevel });
const ESC = '\x1b[';

describe('createLogger', () => {
  it('writes JSON lines when stdout is not a terminal (production, containers, tests)', () => {
    const piped = stream(false);
    createLogger(settings('auto'), 'api', piped).log({ msg: 'API listening', url: 'http://x' }, 'Bootstrap');
    expect(JSON.parse(piped.lines()[0])).toMatchObject({
      level: 'info',
      service: 'api',
      context: 'Bootstrap',
      msg: 'API listening',
      url: 'http://x',
    });
  });

  it('writes coloured one-liners on a terminal: time, level, context, message, then key=value', () => {
    const out = stream(true);
    createLogger(settings('auto'), 'demo', out).log(
      {
        msg: 'database migrated',
        backend: 'pglite',
        applied: 3,
        labs: ['lec7', 'storage'],
        note: 'two words',
      },
      'Demo',
    );
    const [line] = out.lines();
    expect(line).toContain(ESC);
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO  \[Demo\] database migrated backend=pglite applied=3 labs=\["lec7","storage"\] note="two words"$/,
    );
  });

  it('puts an error stack on indented lines below its one-liner', () => {
    const out = stream(true);
    createLogger(settings('pretty'), 'worker', out).error(new Error('boom'), 'Bootstrap');
    const plain = out.lines().map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(plain[0]).toMatch(/ ERROR \[Bootstrap\] boom$/);
    expect(plain[1]).toBe('    Error');
    expect(plain.slice(2).every((line) => line.startsWith('    at '))).toBe(true);
  });

  it('writes readable lines without colours when LOG_FORMAT=pretty goes to a file or pipe', () => {
    const out = stream(false);
    createLogger(settings('pretty'), 'api', out).warn({ msg: 'slow command', durationMs: 950 });
    expect(out.lines()).toHaveLength(1);
    expect(out.lines()[0]).not.toContain(ESC);
    expect(out.lines()[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  slow command durationMs=950$/);
  });

  it('writes JSON lines on a terminal when LOG_FORMAT=json', () => {
    const out = stream(true);
    createLogger(settings('json'), 'api', out).log('hello', 'Bootstrap');
    expect(JSON.parse(out.lines()[0])).toMatchObject({ level: 'info', msg: 'hello', context: 'Bootstrap' });
  });

  it("hides Nest's route mapping on a terminal unless the level is debug", () => {
    const quiet = stream(true);
    createLogger(settings('auto'), 'demo', quiet).log('Mapped {/api/health, GET} route', 'RouterExplorer');
    expect(quiet.lines()).toEqual([]);
    const verbose = stream(true);
    createLogger(settings('auto', 'debug'), 'demo', verbose).log(
      'Mapped {/api/health, GET} route',
      'RouterExplorer',
    );
    expect(verbose.lines()[0].replace(/\x1b\[[0-9;]*m/g, '')).toMatch(
      / DEBUG \[RouterExplorer\] Mapped \{\/api\/health, GET\} route$/,
    );
  });
});
