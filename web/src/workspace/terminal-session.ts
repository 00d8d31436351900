import type { Terminal } from '@xterm/xterm';
import type {
  CommandAccepted,
  CommandExit,
  CommandOutput,
  CommandRejected,
  CommandStarted,
  HistoryEntry,
  JobRef,
  SessionSnapshot,
} from '@shared/events';
import { emitWithAck, KubelabSocket } from '../lib/socket';
import { complete } from '../terminal/completion';
import { decodeInput, InputAction } from '../terminal/input-decoder';
import { editLine, LineEditor } from '../terminal/line-editor';
import { renderLine, rowsBelowCursor } from '../terminal/line-render';
import { ObjectNameBook } from '../terminal/object-names';
import { PromptTracker, SHELL_PROMPT } from '../terminal/prompt-tracker';
import { BusyRetries } from './busy-retry';

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
// Screen changes go through the same write queue as output (xterm's clear()/reset() would act at once,
// before earlier writes are parsed).
const FULL_RESET = '\x1bc';
const CLEAR_SCREEN = '\x1b[H\x1b[2J';
const CLEAR_SCROLLBACK = '\x1b[3J';
const OPEN_STATES = new Set(['queued', 'running']);
/** Events for runs this terminal does not know yet (they may arrive before the submit's ack). */
const MAX_EARLY_EVENTS = 2000;

export interface TerminalTexts {
  rejected(message: string, rejection: CommandRejected | undefined): string;
  /** The one line shown while a line refused as busy waits for its automatic retry. */
  busyRetrying(seconds: number): string;
  endedWith(status: string): string | undefined;
  joinFailed(message: string): string;
  readOnly: string;
  /** The mark before a line that came from the student's own kubectl (or another client) rather than this terminal. */
  ownClient?(client: string): string;
}

export interface TerminalSessionOptions {
  terminal: Terminal;
  socket: KubelabSocket;
  labSessionId: string;
  texts: TerminalTexts;
  onSnapshot?(snapshot: SessionSnapshot): void;
  /** A command typed here ended (not the ones redrawn from history). */
  onCommandFinished?(run: FinishedRun): void;
  /** Busy (a command runs) or idle (the prompt waits). */
  onBusyChange?(busy: boolean): void;
}

export interface FinishedRun {
  command: string;
  output: string;
  exitCode: number;
}

/** A command on its way: submitted (maybe not acknowledged yet) or restored running from history. */
interface Run {
  runId?: string;
  clientRef?: string;
  command: string;
  output: string;
  /** Whether its prompt line has been printed. */
  shown: boolean;
  exit?: Pick<CommandExit, 'exitCode' | 'status' | 'note'>;
  /** An interactive run that has started: what is typed goes to it, shown after this prompt. */
  inputPrompt?: string;
  /** A line from the student's own kubectl through the session's Kubernetes API (CommandAccepted.ownClient). */
  ownClient?: string;
}

/** A background job: its output and its end are printed above the line being typed. */
interface Job extends JobRef {
  runId: string;
  command: string;
}

/**
 * The student's side of the lab terminal: line editing, history and completion happen here; each
 * finished line goes to the server's queue (`command.submit`) and its output streams back.
 * One command runs at a time: what is typed meanwhile is queued and replayed at the next prompt
 * (Ctrl-C cancels the running command and drops that queue). Joining the session (first connect,
 * every reconnect, a reload) redraws the screen from the server's history.
 */
export class TerminalSession {
  private editor = new LineEditor();
  private readonly names = new ObjectNameBook();
  private prompt = SHELL_PROMPT;
  /** The shell's own prompt (working directory, pod shell), whatever an interactive run shows meanwhile. */
  private readonly shellPrompt = new PromptTracker();
  private runs: Run[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly earlyEvents = new Map<string, (CommandOutput | CommandExit)[]>();
  private readonly rejections = new Map<string, CommandRejected>();
  private queued: InputAction[] = [];
  private joined = false;
  private readOnly = false;
  private cursorCells = 0;
  private refCounter = 0;
  private readonly busyRetries = new BusyRetries();
  /**
   * The line whose busy notice is the last thing on screen, the cursor at its end: its countdown and a further
   * refusal rewrite that one row; anything else written first ends the row.
   */
  private noticeOf: string | undefined;
  private joinGeneration = 0;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly options: TerminalSessionOptions) {}

  start(): void {
    const { socket, terminal } = this.options;
    const onConnect = () => void this.join();
    // While disconnected, typing is queued locally; it runs after the next join redraws the screen.
    const onDisconnect = () => {
      this.joined = false;
    };
    const onAccepted = (event: CommandAccepted) => this.onAccepted(event);
    const onStarted = (event: CommandStarted) => this.onStarted(event);
    const onOutput = (event: CommandOutput) => this.onOutput(event);
    const onExit = (event: CommandExit) => this.onExit(event);
    const onRejected = (event: CommandRejected) => {
      if (event.labSessionId === this.options.labSessionId && event.clientRef)
        this.rejections.set(event.clientRef, event);
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('command.accepted', onAccepted);
    socket.on('command.started', onStarted);
    socket.on('command.output', onOutput);
    socket.on('command.exit', onExit);
    socket.on('command.rejected', onRejected);
    const data = terminal.onData((input) => this.input(input));
    this.cleanups.push(
      () => socket.off('connect', onConnect),
      () => socket.off('disconnect', onDisconnect),
      () => socket.off('command.accepted', onAccepted),
      () => socket.off('command.started', onStarted),
      () => socket.off('command.output', onOutput),
      () => socket.off('command.exit', onExit),
      () => socket.off('command.rejected', onRejected),
      () => data.dispose(),
    );
    if (socket.connected) void this.join();
  }

  dispose(): void {
    this.cleanups.forEach((cleanup) => cleanup());
    this.busyRetries.endAll();
    this.joinGeneration++;
    if (this.options.socket.connected)
      this.options.socket.emit('session.leave', { labSessionId: this.options.labSessionId }, () => undefined);
  }

  get busy(): boolean {
    return this.runs.length > 0;
  }

  private async join(): Promise<void> {
    const generation = ++this.joinGeneration;
    this.joined = false;
    const { socket, labSessionId, terminal, texts } = this.options;
    let result: Awaited<ReturnType<typeof emitWithAck<'session.join'>>>;
    try {
      result = await emitWithAck(socket, 'session.join', { labSessionId });
    } catch (error) {
      result = {
        ok: false,
        code: 'timeout',
        message: error instanceof Error ? error.message : String(error),
      };
    }
    if (generation !== this.joinGeneration) return;
    if (!result.ok) {
      terminal.write(`\r\n${RED}${texts.joinFailed(result.message)}${RESET}\r\n`);
      return;
    }
    const snapshot = result.data;
    this.readOnly = snapshot.readOnly;
    this.redrawFromHistory(snapshot.history);
    for (const job of snapshot.jobs) this.jobs.set(job.runId, job);
    const waiting = snapshot.waitingForInput;
    const waitingRun = waiting ? this.findRun(waiting.runId) : undefined;
    if (waiting && waitingRun) waitingRun.inputPrompt = waiting.inputPrompt;
    this.options.onSnapshot?.(snapshot);
    this.joined = true;
    if (this.readOnly) {
      terminal.write(`${DIM}${texts.readOnly}${RESET}\r\n`);
      return;
    }
    if (this.runs.length > 0) this.showHead();
    else {
      this.showPrompt();
      this.drainQueue();
    }
    this.options.onBusyChange?.(this.busy);
  }

  private redrawFromHistory(history: HistoryEntry[]): void {
    const { terminal } = this.options;
    const draft = this.editor.text;
    terminal.write(FULL_RESET);
    this.noticeOf = undefined;
    this.editor = new LineEditor();
    this.names.clear();
    this.shellPrompt.reset();
    this.prompt = this.shellPrompt.prompt;
    this.runs = [];
    this.jobs.clear();
    this.earlyEvents.clear();
    for (const entry of history) {
      this.editor.remember(entry.command);
      // A background job still running is listed by the snapshot's jobs, not waited for.
      if (entry.kind === 'background' && entry.job && OPEN_STATES.has(entry.status)) {
        terminal.write(`${this.prompt}${entry.command}\r\n[${entry.job.number}] ${entry.job.pid}\r\n`);
        this.writeOutput(entry.output);
        continue;
      }
      if (OPEN_STATES.has(entry.status)) {
        this.runs.push({ runId: entry.runId, command: entry.command, output: entry.output, shown: false });
        continue;
      }
      terminal.write(`${this.promptFor(entry.ownClient)}${entry.command}\r\n`);
      if (entry.job) terminal.write(`[${entry.job.number}] ${entry.job.pid}\r\n`);
      this.writeOutput(entry.output);
      this.finish({
        command: entry.command,
        output: entry.output,
        shown: true,
        exit: {
          exitCode: entry.exitCode ?? 1,
          status: entry.status,
          note: this.options.texts.endedWith(entry.status),
        },
      });
    }
    this.editor.setText(draft);
  }

  private input(data: string): void {
    if (this.readOnly) return;
    for (const action of decodeInput(data)) {
      if (action.kind === 'interrupt' && this.busy) this.interrupt();
      else if (this.takingInput && this.joined && this.queued.length === 0) this.applyInput(action);
      else if (this.busy || !this.joined) this.queued.push(action);
      else this.apply(action);
    }
  }

  /** The running command reads what is typed (a heredoc being typed, `read`). */
  private get takingInput(): boolean {
    return this.runs[0]?.inputPrompt !== undefined && this.runs[0].exit === undefined;
  }

  private drainQueue(): void {
    while (this.joined && this.queued.length > 0 && (!this.busy || this.takingInput)) {
      const action = this.queued.shift() as InputAction;
      if (this.takingInput) this.applyInput(action);
      else this.apply(action);
    }
  }

  /** Line editing for the running command: Enter sends the line (its echo comes back as output), Ctrl-D ends the input. */
  private applyInput(action: InputAction): void {
    if (editLine(this.editor, action)) return this.redraw();
    const head = this.runs[0];
    if (!head?.runId) return;
    const { socket, labSessionId, terminal } = this.options;
    const send = (payload: { data?: string; eof?: boolean }) =>
      emitWithAck(socket, 'command.input', { labSessionId, runId: head.runId as string, ...payload }).then(
        (result) => {
          if (!result.ok) terminal.write(`${RED}${result.message}${RESET}\r\n`);
        },
        () => undefined,
      );
    if (action.kind === 'enter') {
      const line = this.editor.text;
      this.editor.discard();
      // The line comes back as the command's output (the terminal's echo), so every watcher sees it.
      terminal.write('\r\x1b[K');
      this.cursorCells = 0;
      void send({ data: `${line}\n` });
    } else if (action.kind === 'eof' && this.editor.text === '') {
      void send({ eof: true });
    }
  }

  private apply(action: InputAction): void {
    if (editLine(this.editor, action)) return this.redraw();
    switch (action.kind) {
      case 'enter':
        return this.submitLine();
      case 'tab':
        return this.completeWord();
      case 'interrupt':
        this.moveBelowLine();
        this.options.terminal.write('^C\r\n');
        this.editor.discard();
        return this.showPrompt();
      case 'clear-screen':
        this.options.terminal.write(CLEAR_SCREEN);
        return this.showPrompt();
      case 'eof':
        return;
    }
  }

  private redraw(): void {
    const { terminal } = this.options;
    const render = renderLine(
      this.prompt,
      this.editor.text,
      this.editor.cursor,
      terminal.cols,
      this.cursorCells,
    );
    terminal.write(render.output);
    this.cursorCells = render.cursorCells;
  }

  private showPrompt(): void {
    this.cursorCells = 0;
    this.redraw();
  }

  /** Puts the cursor on a fresh line below the (possibly wrapped) input line. */
  private moveBelowLine(): void {
    const { terminal } = this.options;
    const rows = rowsBelowCursor(this.prompt, this.editor.text, this.cursorCells, terminal.cols);
    terminal.write(`${rows > 0 ? `\x1b[${rows}B` : ''}\r\n`);
    this.cursorCells = 0;
  }

  private completeWord(): void {
    const completion = complete(this.editor.beforeCursor, this.names);
    if (completion.candidates.length === 0) return;
    if (completion.insert !== completion.typed) {
      this.editor.replaceBeforeCursor(completion.start, completion.insert);
      this.redraw();
      return;
    }
    // Nothing more to add: list the choices under the line, then redraw it, as bash does.
    this.moveBelowLine();
    this.options.terminal.write(`${columns(completion.candidates, this.options.terminal.cols)}\r\n`);
    this.showPrompt();
  }

  private submitLine(): void {
    const line = this.editor.text;
    this.moveBelowLine();
    this.editor.take();
    if (line.trim() === '') return this.showPrompt();
    const clientRef = `c${Date.now().toString(36)}${++this.refCounter}`;
    const run: Run = { clientRef, command: line, output: '', shown: true };
    this.runs.push(run);
    this.options.onBusyChange?.(true);
    this.send(run, clientRef);
  }

  /** Sends a line (again, with the same client reference, after a busy refusal: the server runs it once). */
  private send(run: Run, clientRef: string): void {
    const { socket, labSessionId } = this.options;
    emitWithAck(socket, 'command.submit', { labSessionId, command: run.command, clientRef }).then(
      (result) => {
        if (!result.ok) {
          const hint = this.rejections.get(clientRef)?.retryAfterSeconds;
          // A busy refusal is retried after the hint (unless Ctrl-C took the line back meanwhile).
          const wait = this.runs.includes(run)
            ? this.busyRetries.schedule(
                clientRef,
                result.code,
                hint,
                () => {
                  if (this.runs.includes(run)) this.send(run, clientRef);
                },
                (left) => this.showBusyNotice(clientRef, left),
              )
            : this.busyRetries.end(clientRef);
          if (wait === undefined) return this.dropRun(run, result.message);
          this.rejections.delete(clientRef);
          this.noticeOf ??= clientRef;
          this.showBusyNotice(clientRef, wait);
          return;
        }
        this.busyRetries.end(clientRef);
        this.endNotice();
        run.runId = result.data.runId;
        const early = this.earlyEvents.get(run.runId) ?? [];
        this.earlyEvents.delete(run.runId);
        for (const event of early) {
          if ('data' in event) this.onOutput(event);
          else this.onExit(event);
        }
      },
      (error: unknown) => this.dropRun(run, error instanceof Error ? error.message : String(error)),
    );
  }

  /**
   * The busy notice of a line waiting for its retry, with the seconds left: one row, rewritten while it is the
   * last thing on screen (a background job's output in between leaves it as it was).
   */
  private showBusyNotice(clientRef: string, seconds: number): void {
    if (this.noticeOf !== clientRef) return;
    const text = this.options.texts.busyRetrying(seconds);
    this.options.terminal.write(`\r\x1b[K${YELLOW}${text}${RESET}`);
  }

  /** Ends the busy notice's row, so what comes next is written below it. */
  private endNotice(): void {
    if (this.noticeOf === undefined) return;
    this.noticeOf = undefined;
    this.options.terminal.write('\r\n');
  }

  /** The server refused the line (or did not answer): say why and give the prompt back. */
  private dropRun(run: Run, message: string): void {
    const index = this.runs.indexOf(run);
    if (index < 0) return;
    this.endNotice();
    this.runs.splice(index, 1);
    const rejection = run.clientRef ? this.rejections.get(run.clientRef) : undefined;
    if (run.clientRef) this.rejections.delete(run.clientRef);
    this.options.terminal.write(`${RED}${this.options.texts.rejected(message, rejection)}${RESET}\r\n`);
    if (index === 0) this.afterHead();
  }

  private interrupt(): void {
    this.queued = [];
    const head = this.runs[0];
    if (head?.clientRef && this.busyRetries.waiting(head.clientRef)) {
      // Not on the server yet: Ctrl-C stops the retrying and gives the prompt back.
      this.busyRetries.end(head.clientRef);
      this.endNotice();
      this.runs.shift();
      this.options.terminal.write('^C\r\n');
      return this.afterHead();
    }
    const { socket, labSessionId } = this.options;
    emitWithAck(
      socket,
      'command.cancel',
      head?.runId ? { labSessionId, runId: head.runId } : { labSessionId },
    ).then(
      (result) => {
        if (!result.ok) this.options.terminal.write(`${RED}${result.message}${RESET}\r\n`);
      },
      () => undefined,
    );
  }

  private findRun(runId: string): Run | undefined {
    return this.runs.find((run) => run.runId === runId);
  }

  private keepEarly(event: CommandOutput | CommandExit): void {
    if (this.earlyEvents.size > MAX_EARLY_EVENTS) this.earlyEvents.clear();
    const list = this.earlyEvents.get(event.runId) ?? [];
    list.push(event);
    this.earlyEvents.set(event.runId, list);
  }

  /**
   * A read-only terminal (an instructor watching) follows the student's commands as they are accepted, as if
   * they were typed here; a student's own terminal shows only what is typed in it (and its history).
   */
  private onAccepted(event: CommandAccepted): void {
    if (event.labSessionId !== this.options.labSessionId || !this.readOnly || !this.joined) return;
    if (this.findRun(event.runId) || this.jobs.has(event.runId)) return;
    this.runs.push({
      runId: event.runId,
      command: event.command,
      output: '',
      shown: false,
      ownClient: event.ownClient,
    });
    // Its output or end may have come first (different rooms' events are not ordered).
    const early = this.earlyEvents.get(event.runId) ?? [];
    this.earlyEvents.delete(event.runId);
    if (this.runs.length === 1) {
      // The idle prompt line is replaced by the command's own prompt line.
      this.options.terminal.write('\r\x1b[J');
      this.cursorCells = 0;
      this.options.onBusyChange?.(true);
      this.showHead();
    }
    for (const seen of early) {
      if ('data' in seen) this.onOutput(seen);
      else this.onExit(seen);
    }
  }

  private onStarted(event: CommandStarted): void {
    if (event.labSessionId !== this.options.labSessionId) return;
    const run = this.findRun(event.runId);
    if (!run) return;
    if (event.kind === 'background' && event.job) {
      // The job runs on beside what comes next: the prompt comes back at once, as in bash.
      this.runs.splice(this.runs.indexOf(run), 1);
      const job: Job = { ...event.job, runId: event.runId, command: run.command };
      this.jobs.set(event.runId, job);
      if (run.shown) this.options.terminal.write(`[${job.number}] ${job.pid}\r\n`);
      if (run.output) this.writeAboveLine(run.output);
      this.afterHead();
      return;
    }
    if (event.inputPrompt !== undefined) {
      run.inputPrompt = event.inputPrompt;
      if (run === this.runs[0]) {
        this.prompt = lastLine(run.output) + event.inputPrompt;
        this.drainQueue();
        this.showPrompt();
      }
    }
  }

  /** Output of a background job: printed above the line being typed, which is then drawn again. */
  private writeAboveLine(data: string): void {
    const { terminal } = this.options;
    // A foreground command's output is on screen: the job's goes beside it, as in bash.
    if (this.busy && !this.takingInput) return this.writeOutput(data);
    const rowsUp = Math.floor(this.cursorCells / Math.max(1, terminal.cols));
    terminal.write(`${rowsUp > 0 ? `\x1b[${rowsUp}A` : ''}\r\x1b[J`);
    this.writeOutput(data.endsWith('\n') ? data : `${data}\n`);
    this.showPrompt();
  }

  private onOutput(event: CommandOutput): void {
    if (event.labSessionId !== this.options.labSessionId) return;
    if (this.jobs.has(event.runId)) return this.writeAboveLine(event.data);
    const run = this.findRun(event.runId);
    if (!run) return this.keepEarly(event);
    const partial = lastLine(run.output);
    run.output += event.data;
    if (run !== this.runs[0] || !run.shown) return;
    if (this.takingInput) this.writeBeforeInput(partial, event.data);
    else this.writeOutput(event.data);
  }

  /**
   * Output of the run that reads what is typed (the echo of a heredoc's lines, `read -p`'s
   * question): it goes where the input line was, and the line is drawn again below it after bash's
   * `> ` (or after the unfinished last line of the output, as `read -p "name? "` shows it).
   */
  private writeBeforeInput(partial: string, data: string): void {
    const { terminal } = this.options;
    const rowsUp = Math.floor(this.cursorCells / Math.max(1, terminal.cols));
    terminal.write(`${rowsUp > 0 ? `\x1b[${rowsUp}A` : ''}\r\x1b[J`);
    const full = partial + data;
    const end = full.lastIndexOf('\n') + 1;
    this.writeOutput(full.slice(0, end));
    this.prompt = full.slice(end) + (this.runs[0]?.inputPrompt ?? '');
    this.showPrompt();
  }

  private onExit(event: CommandExit): void {
    if (event.labSessionId !== this.options.labSessionId) return;
    if (this.jobs.delete(event.runId)) {
      if (event.jobNotice) this.writeAboveLine(event.jobNotice);
      return;
    }
    const run = this.findRun(event.runId);
    if (!run) return this.keepEarly(event);
    run.exit = event;
    if (run === this.runs[0]) {
      if (run.inputPrompt !== undefined) {
        // The line being typed for it is dropped with it.
        this.editor.discard();
        this.options.terminal.write(`\r\x1b[K${lastLine(run.output)}`);
      }
      this.runs.shift();
      this.finish(run);
      this.afterHead();
    }
  }

  private showHead(): void {
    const head = this.runs[0];
    if (!head) return;
    if (!head.shown) {
      this.options.terminal.write(`${this.promptFor(head.ownClient)}${head.command}\r\n`);
      this.writeOutput(head.output);
      head.shown = true;
    }
    if (head.inputPrompt !== undefined && !head.exit) {
      this.prompt = lastLine(head.output) + head.inputPrompt;
      this.showPrompt();
      return;
    }
    if (head.exit) {
      this.runs.shift();
      this.finish(head);
      this.afterHead();
    }
  }

  /** The prompt a line is shown after: the shell's, marked for a line from the student's own client. */
  private promptFor(ownClient: string | undefined): string {
    if (ownClient === undefined) return this.prompt;
    const mark = this.options.texts.ownClient?.(ownClient) ?? ownClient;
    return `${DIM}[${mark}]${RESET} ${this.prompt}`;
  }

  private afterHead(): void {
    if (this.runs.length > 0) return this.showHead();
    this.options.onBusyChange?.(false);
    this.showPrompt();
    this.drainQueue();
  }

  /** Ends a run's output on screen and updates what the terminal learnt from it. */
  private finish(run: Run): void {
    const { terminal } = this.options;
    const exit = run.exit ?? { exitCode: 1, status: 'interrupted' };
    if (run.output && !run.output.endsWith('\n')) terminal.write('\r\n');
    if (exit.note) terminal.write(`${exit.note === '^C' ? '' : YELLOW}${exit.note}${RESET}\r\n`);
    this.names.learn(run.command, run.output);
    this.prompt = this.shellPrompt.after(run.command, exit);
    // The terminal's `clear` prints nothing: clearing the screen is the client's job.
    if (run.command.trim() === 'clear' && exit.status === 'completed')
      terminal.write(CLEAR_SCREEN + CLEAR_SCROLLBACK);
    if (this.joined)
      this.options.onCommandFinished?.({ command: run.command, output: run.output, exitCode: exit.exitCode });
  }

  private writeOutput(data: string): void {
    if (!data) return;
    this.endNotice();
    this.options.terminal.write(data.replace(/\r?\n/g, '\r\n'));
  }
}

/** The unfinished last line of some output ('' after a newline). */
function lastLine(output: string): string {
  return output.slice(output.lastIndexOf('\n') + 1);
}

/** Lays words out in columns across the terminal, like bash's completion list. */
function columns(words: string[], width: number): string {
  const cell = Math.max(...words.map((word) => word.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / cell));
  const rows: string[] = [];
  for (let i = 0; i < words.length; i += perRow)
    rows.push(
      words
        .slice(i, i + perRow)
        .map((word) => word.padEnd(cell))
        .join('')
        .trimEnd(),
    );
  return rows.join('\r\n');
}
