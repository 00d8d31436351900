import { ManualClock } from '../../clock/clock';
import { createCluster } from '../../cluster';
import { toTerminal, TtyShell } from './tty-shell';

describe('TtyShell (a pod shell behind a terminal)', () => {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const cluster = createCluster({ seed: 1, clock });

  beforeAll(() => {
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    } as never);
    clock.advance(60_000);
    cluster.sync();
  });

  /** Types `keys` (each chunk as it would arrive) and returns what the terminal shows and the exit code. */
  async function type(...keys: string[]): Promise<{ screen: string; exit?: number }> {
    let screen = '';
    let exit: number | undefined;
    const shell = new TtyShell(
      cluster,
      {
        namespace: 'default',
        pod: 'web',
        container: 'web',
        shell: 'bash',
        cwd: '/',
        attached: true,
        prompt: '# ',
      },
      (text) => (screen += text),
      (code) => (exit = code),
    );
    shell.start();
    for (const key of keys) shell.input(Buffer.from(key));
    for (let i = 0; i < 20 && exit === undefined; i++) await new Promise((resolve) => setImmediate(resolve));
    return { screen, exit };
  }

  it('echoes keys, runs the line on Enter and shows the prompt again', async () => {
    expect(await type('echo hi\r')).toEqual({ screen: '# echo hi\r\nhi\r\n# ' });
  });

  it('edits the line: backspace, Ctrl-U; ignores arrow keys', async () => {
    const { screen } = await type('echo hx', '\x7f', 'i', '\x1b[A', '\r', 'junk', '\x15', 'echo ok\r');
    expect(screen).toBe('# echo hx\b \bi\r\nhi\r\n# junk\b \b\b \b\b \b\b \becho ok\r\nok\r\n# ');
  });

  it('Ctrl-C drops the line; Ctrl-D on an empty line ends the shell with status 0', async () => {
    expect(await type('sleep 9', '\x03', '\x04')).toEqual({ screen: '# sleep 9^C\r\n# exit\r\n', exit: 0 });
  });

  it('`exit N` ends with N, and multi-byte characters arrive whole even when split', async () => {
    const euro = Buffer.from('€');
    let screen = '';
    const shell = new TtyShell(
      cluster,
      {
        namespace: 'default',
        pod: 'web',
        container: 'web',
        shell: 'bash',
        cwd: '/',
        attached: true,
        prompt: '# ',
      },
      (text) => (screen += text),
      () => undefined,
    );
    shell.input(euro.subarray(0, 1));
    shell.input(euro.subarray(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen).toBe('€');
    expect(await type('exit 4\r')).toEqual({ screen: '# exit 4\r\nexit\r\n', exit: 4 });
  });

  it('turns bare newlines into CR LF as a pty does', () => {
    expect(toTerminal('a\nb\r\nc')).toBe('a\r\nb\r\nc');
  });
});
