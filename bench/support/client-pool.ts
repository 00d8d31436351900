/** The parent's side of the client processes: forks them, splits the class over them, merges what they measured. */
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { DriveOptions, DriveResult } from './class-driver';
import { ClientReply, ClientRequest, mergeResults } from './client-process';

const ROOT = path.resolve(__dirname, '..', '..');

export class ClientPool {
  private students = 0;

  private constructor(private readonly children: ChildProcess[]) {}

  static start(processes: number): ClientPool {
    const children = Array.from({ length: processes }, () =>
      fork(path.join(__dirname, 'client-process.ts'), [], {
        cwd: ROOT,
        execArgv: ['-r', './scripts/swc-register.cjs'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new ClientPool(children);
  }

  get size(): number {
    return this.students;
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid as number);
  }

  /** Enrols students until the class has `total`, the new ones split evenly over the processes. */
  async growTo(
    total: number,
    platform: { baseUrl: string; courseId: string; joinCode: string },
    labId: string,
  ): Promise<void> {
    const adding = total - this.students;
    if (adding <= 0) return;
    const share = Math.ceil(adding / this.children.length);
    // Only what a client needs crosses the process boundary (the platform object holds a database client).
    const { baseUrl, courseId, joinCode } = platform;
    await Promise.all(
      this.children.map((child, position) => {
        const from = this.students + position * share;
        const count = Math.min(share, total - from);
        return count > 0
          ? this.ask(child, {
              kind: 'enrol',
              platform: { baseUrl, courseId, joinCode },
              from,
              count,
              labId,
              firstIndex: from,
            })
          : undefined;
      }),
    );
    this.students = total;
  }

  /** Every student types for `options.seconds`; the processes' measurements merged into one. */
  async drive(
    options: Omit<DriveOptions, 'firstIndex' | 'classSize'>,
  ): Promise<DriveResult & { clientCpuMs: number }> {
    const results = await Promise.all(
      this.children.map(async (child) => {
        const reply = await this.ask(child, {
          kind: 'drive',
          options: { ...options, classSize: this.students },
        });
        return (reply as Extract<ClientReply, { kind: 'driven' }>).result;
      }),
    );
    return { ...mergeResults(results), clientCpuMs: results.reduce((sum, result) => sum + result.cpuMs, 0) };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || !child.connected) return;
        const exited = once(child, 'exit');
        await this.ask(child, { kind: 'close' }).catch(() => child.kill());
        await exited;
      }),
    );
  }

  private ask(child: ChildProcess, request: ClientRequest): Promise<ClientReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`client process ${child.pid} exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: ClientReply) => {
        child.off('exit', onExit);
        if (reply.kind === 'failed') reject(new Error(`client process ${child.pid}: ${reply.message}`));
        else resolve(reply);
      });
      child.send(request);
    });
  }
}
