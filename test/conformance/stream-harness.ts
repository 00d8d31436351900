/**
 * Real kubectl processes that stream: a long-running kubectl whose output is awaited as it comes (logs -f,
 * port-forward), and kubectl under `script -qec` so it has a terminal (exec -it, attach -it) with keystrokes typed
 * at a pace. Only 127.0.0.1 is ever contacted.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';

export const KUBECTL_BIN = '/usr/lib/google-cloud-sdk/bin';
export const VERSIONS = ['1.30', '1.31', '1.32', '1.33'] as const;
export const SCRIPT = '/usr/bin/script';

export function binaryFor(version: string): string {
  return `${KUBECTL_BIN}/kubectl.${version}`;
}

/** Fails naming what is missing: the versioned kubectl binaries and util-linux's script. */
export function requireStreamTools(): void {
  for (const binary of [...VERSIONS.map(binaryFor), SCRIPT]) {
    try {
      fs.accessSync(binary, fs.constants.X_OK);
    } catch {
      throw new Error(`${binary} is missing or not executable: the streams conformance suite needs it`);
    }
  }
}

export interface Finished {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** A running process whose output can be awaited line by line. */
export class Streaming {
  stdout = '';
  stderr = '';
  private readonly exited: Promise<Finished>;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (c: Buffer) => this.append('stdout', c));
    child.stderr.on('data', (c: Buffer) => this.append('stderr', c));
    this.exited = new Promise((resolve) =>
      child.on('close', (code) => {
        this.wake();
        resolve({ stdout: this.stdout, stderr: this.stderr, code });
      }),
    );
  }

  static start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Streaming {
    return new Streaming(spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString('utf8');
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once stdout or stderr contains `text`; fails after `ms` naming what was seen. */
  async waitFor(text: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.stdout.includes(text) && !this.stderr.includes(text)) {
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(
          `waited for ${JSON.stringify(text)}; stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** Waits for the end; kills the process when it outlives `ms`. */
  async finished(ms = 20_000): Promise<Finished> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ctrl-C (SIGINT), then the end. */
  async interrupt(): Promise<Finished> {
    this.child.kill('SIGINT');
    return this.finished(10_000);
  }
}

/** kubectl under `script -qec` (a pseudo-terminal): keys are typed with pauses so each reaches the pod shell. */
export async function inTerminal(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  keys: string[],
  ready: string,
): Promise<Finished> {
  const command = [binary, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = Streaming.start(SCRIPT, ['-qec', command, '/dev/null'], env);
  await run.waitFor(ready);
  // kubectl puts the terminal in raw mode around the time it prints `ready`; a key typed before that would be
  // echoed by the terminal itself as well.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const key of keys) {
    const before = run.stdout.length;
    run.write(key);
    // Each key's echo (or the line's output) comes back before the next is typed.
    const deadline = Date.now() + 5000;
    while (run.stdout.length === before && Date.now() < deadline && run.child.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  run.child.stdin.end();
  return run.finished();
}

/**
 * kubectl under `script -qec` kept open: the test types keys when it likes and can change the terminal's size (the
 * kernel then signals kubectl, which sends the new size on the resize stream or WebSocket channel 4).
 */
export class OpenTerminal {
  private constructor(
    readonly run: Streaming,
    private readonly tty: string,
  ) {}

  /** Starts kubectl in a terminal of `cols` x `rows` and waits for `ready`. */
  static async start(
    binary: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    ready: string,
    size = { cols: 120, rows: 40 },
  ): Promise<OpenTerminal> {
    const command = [binary, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // The first line names the terminal, so its size can be changed from outside later.
    const run = Streaming.start(
      SCRIPT,
      ['-qec', `tty; stty cols ${size.cols} rows ${size.rows}; exec ${command}`, '/dev/null'],
      env,
    );
    await run.waitFor('\n');
    const tty = run.stdout.slice(0, run.stdout.indexOf('\n')).trim();
    if (!tty.startsWith('/dev/pts/')) throw new Error(`no terminal: ${JSON.stringify(run.stdout)}`);
    await run.waitFor(ready);
    // As in inTerminal: kubectl switches the terminal to raw mode around the time it prints `ready`.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return new OpenTerminal(run, tty);
  }

  /** Output after the terminal's name. */
  get output(): string {
    return this.run.stdout.slice(this.run.stdout.indexOf('\n') + 1);
  }

  /** Types one key or line, then waits for `answer` in what comes back after it. */
  async type(key: string, answer: string, ms = 15_000): Promise<void> {
    const from = this.run.stdout.length;
    this.run.write(key);
    const deadline = Date.now() + ms;
    while (!this.run.stdout.slice(from).includes(answer)) {
      if (Date.now() > deadline || this.run.child.exitCode !== null)
        throw new Error(
          `typed ${JSON.stringify(key)}, waited for ${JSON.stringify(answer)}: ${JSON.stringify(this.run.stdout.slice(from))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A new window size, as a terminal emulator's resize sets it. */
  resize(cols: number, rows: number): void {
    execFileSync('stty', ['-F', this.tty, 'cols', String(cols), 'rows', String(rows)]);
  }
}

/** One HTTP GET to 127.0.0.1:port: status and body, or the socket's error code. */
export function httpGet(
  port: number,
  path = '/',
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}
