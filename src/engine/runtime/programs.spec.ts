import { piDigits } from './pi';
import { busyboxDate, runProgram } from './programs';

const base = { env: {}, hostname: 'p', startedAt: Date.UTC(2024, 5, 3, 2, 15, 0), horizon: 86_400_000 };

describe('container programs', () => {
  it('runs busybox sh -c with exit codes, sleeps and loops', () => {
    const echo = runProgram({ ...base, image: 'busybox', args: ['echo', 'hello'] });
    expect(echo).toMatchObject({ exitAfter: 0, exitCode: 0, lines: [{ at: 0, text: 'hello' }] });
    const script = runProgram({
      ...base,
      image: 'busybox:1.36',
      command: ['sh', '-c', 'echo a; sleep 2 && echo $X; false || exit 3; echo never'],
      env: { X: 'x' },
    });
    expect(script.lines.map((l) => [l.at, l.text])).toEqual([
      [0, 'a'],
      [2000, 'x'],
    ]);
    expect(script).toMatchObject({ exitAfter: 2000, exitCode: 3 });
    const loop = runProgram({
      ...base,
      image: 'busybox',
      command: ['sh', '-c', 'while true; do echo tick; sleep 10; done'],
      horizon: 25_000,
    });
    expect(loop.exitAfter).toBeUndefined();
    expect(loop.lines.map((l) => l.at)).toEqual([0, 10_000, 20_000]);
    expect(runProgram({ ...base, image: 'busybox', args: ['nope'] })).toMatchObject({
      exitCode: 127,
      reason: 'ContainerCannotRun',
    });
    expect(busyboxDate(base.startedAt)).toBe('Mon Jun  3 02:15:00 UTC 2024');
  });

  it('prints pi like perl bignum and OOM-kills the stress hog over its limit', () => {
    const pi = runProgram({
      ...base,
      image: 'perl:5.34.0',
      command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'],
    });
    expect(pi.lines[0].text).toHaveLength(2001);
    expect(pi.lines[0].text.startsWith('3.14159265358979323846')).toBe(true);
    expect(piDigits(10)).toBe('3.141592654');
    const oom = runProgram({
      ...base,
      image: 'polinux/stress',
      command: ['stress'],
      args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
      memoryLimit: 100 * 1024 * 1024,
    });
    expect(oom).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });
});
