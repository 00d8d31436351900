/**
 * A pod shell behind a terminal (`kubectl exec -it POD -- bash`, `kubectl attach -it`): kubectl puts the user's
 * terminal in raw mode and sends keystrokes; the container's pty echoes them, edits the line and turns `\n` into
 * `\r\n`. Each finished line runs through the engine's pod shell (terminal/pod-shell.ts runPodShellLine), the same
 * one the lab terminal's `kubectl exec -it` uses, so prompts, `cd`, pipes and `exit` behave the same.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Cluster } from '../../cluster';
import type { PodShellSession } from '../../kubectl/context';
import { runPodShellLine } from '../../terminal/pod-shell';
import { RejectedLine } from '../../terminal/pipeline';

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const BACKSPACE = new Set(['\x7f', '\x08']);
/** Longest line the pty keeps (Linux's canonical-mode limit is 4096). */
const MAX_LINE = 4096;

/** The pty's output processing (ONLCR): a bare `\n` becomes `\r\n`. */
export function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class TtyShell {
  private line = '';
  private readonly decoder = new StringDecoder('utf8');
  private queue = '';
  private running = false;
  private ended = false;
  /** Inside an escape sequence (arrow keys and the like), which this line editor ignores. */
  private escape: '' | 'esc' | 'csi' = '';

  constructor(
    private readonly cluster: Cluster,
    private readonly session: PodShellSession,
    private readonly out: (text: string) => void,
    private readonly onExit: (exitCode: number) => void,
  ) {}

  start(): void {
    this.out(this.session.prompt);
  }

  input(bytes: Buffer): void {
    if (this.ended) return;
    this.queue += this.decoder.write(bytes);
    if (!this.running) void this.drain();
  }

  /** The client went away: nothing more runs. */
  stop(): void {
    this.ended = true;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.ended) {
        const ch = String.fromCodePoint(this.queue.codePointAt(0)!);
        this.queue = this.queue.slice(ch.length);
        await this.key(ch);
      }
    } finally {
      this.running = false;
    }
  }

  private async key(ch: string): Promise<void> {
    if (this.escape === 'esc') {
      this.escape = ch === '[' || ch === 'O' ? 'csi' : '';
      return;
    }
    if (this.escape === 'csi') {
      if (ch >= '@' && ch <= '~') this.escape = '';
      return;
    }
    if (ch === '\x1b') this.escape = 'esc';
    else if (ch === '\r' || ch === '\n') {
      const line = this.line;
      this.line = '';
      this.out('\r\n');
      await this.run(line);
    } else if (ch === CTRL_C) {
      this.line = '';
      this.out(`^C\r\n${this.session.prompt}`);
    } else if (ch === CTRL_D) {
      if (this.line === '') {
        this.out('exit\r\n');
        this.end(0);
      }
    } else if (ch === CTRL_U) {
      this.out('\b \b'.repeat([...this.line].length));
      this.line = '';
    } else if (BACKSPACE.has(ch)) {
      if (this.line !== '') {
        this.line = [...this.line].slice(0, -1).join('');
        this.out('\b \b');
      }
    } else if (ch >= ' ' && this.line.length < MAX_LINE) {
      this.line += ch;
      this.out(ch);
    }
  }

  private async run(line: string): Promise<void> {
    const io = {
      stdout: (chunk: string) => this.out(toTerminal(chunk)),
      stderr: (chunk: string) => this.out(toTerminal(chunk)),
    };
    try {
      this.cluster.sync();
      const { exitCode, ended } = await runPodShellLine(this.cluster, this.session, line, io);
      if (ended) {
        this.end(exitCode);
        return;
      }
    } catch (error) {
      // A line the pod shell refuses (RejectedLine) says why; nothing thrown may end the server.
      io.stderr(`${error instanceof RejectedLine ? error.message : String(error)}\n`);
    }
    this.out(this.session.prompt);
  }

  private end(exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.onExit(exitCode);
  }
}
