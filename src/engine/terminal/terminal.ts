import type { Cluster } from '../cluster';
import { isCreateFromFiles, runCreateFromFiles } from '../kubectl/commands/create';
import type { KubectlContext, PodShellSession } from '../kubectl/context';
import { runKubectl } from '../kubectl/kubectl';
import { EffectsRecorder, recordingContext } from '../kubectl/effects';
import { EXAMPLE_MANIFESTS, HOME, VirtualFiles } from '../kubectl/virtual-files';
import { completions } from './completions';
import { FILTER_NAMES, FilterUsageError } from './filters';
import { readHeredocBodies } from './heredoc-input';
import { InputSource, isAbortError, NO_INPUT, textInput } from './input';
import { formatJobs, parseBg, parseDisown, parseFg, parseKill, parseWait } from './job-control';
import { JOB_CONTROL_BUILTINS, kubectlReadsStdin } from './line-shape';
import { LocalPorts } from './local-ports';
import { NOT_AVAILABLE, PreparedFilter, prepareFilter, RejectedLine, runPipeline } from './pipeline';
import { runPodShellLine } from './pod-shell';
import { HELP_TEXT, ProgramIO, runCurl, runEcho, runMinikube, UNAVAILABLE_HINTS } from './programs';
import { runMinikubeTunnel } from './minikube-network';
import { runMinikubeSsh, runNodeShellLine, type NodeShellSession } from './minikube-ssh';
import { runMinikubeDashboard } from './minikube-dashboard';
import type { Node } from '../api/types';
import {
  runMinikubeNodeAdd,
  runMinikubeNodeDelete,
  runMinikubeStart,
  runMinikubeStop,
} from './minikube-machine';
import { needsServer, unreachableAnswer } from '../kubectl/unreachable';
import { runCat, runRead } from './stdin-programs';
import { runCp, runMv } from './home/copy-move';
import { runDiff } from './home/diff';
import type { FileContext } from './home/file-context';
import { runCd, runMkdir, runPwd, runRm, runTouch } from './home/file-commands';
import { runFilterFiles } from './home/file-filters';
import { HomeDirectory } from './home/home-directory';
import { runLs } from './home/ls';
import { openRedirect, Redirection, validateRedirects, writeRedirect } from './home/redirect';
import { runEditor } from './home/editor';
import { LINE_PROGRAMS } from './vocabulary';
import { chooseEditor, type TextEditor } from './text-editor';
import {
  expandWords,
  Heredoc,
  heredocParts,
  heredocText,
  literalText,
  Redirect,
  ShellSyntaxError,
  tokenize,
  Word,
} from './tokenizer';

export type { InputSource } from './input';

export interface TerminalIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  signal?: AbortSignal;
  /**
   * What the student types while the line runs: `read`, `cat`, `kubectl apply -f -` and the rest of an open
   * here-document read it. Without it a program reading input sees end of input at once.
   */
  stdin?: InputSource;
  /**
   * The line runs as a background job (its `&` already removed): it has no terminal (no stdin, no TTY for
   * `exec -ti`), and variables it sets do not outlive it, as bash runs a job in a subshell.
   */
  background?: boolean;
  /** False when stdout is not the terminal (a `> FILE` redirection): `ls` then prints one name per line. */
  tty?: boolean;
  /**
   * The page's editor pane, attached to runs that may open it (`kubectl edit`): the buffer is shown there and the
   * run waits until the student saves or closes it. Without it (and without KUBE_EDITOR), kubectl edit says how
   * to edit otherwise.
   */
  editor?: TextEditor;
  /** Records the line's kubectl namespace and the objects it writes (kubectl/effects.ts), for graders. */
  effects?: EffectsRecorder;
}

/** Programs that can start a line (filters may too, reading one of the example files). */
const PROGRAMS: readonly string[] = [...LINE_PROGRAMS, ...FILTER_NAMES];
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** bash's tilde expansion: an unquoted `~` or `~/...` starting a word is the home directory. */
function expandTilde(word: Word): Word {
  const [first, ...rest] = word.parts;
  if (first?.kind !== 'text' || first.quoted || !/^~(\/|$)/.test(first.text)) return word;
  if (first.text === '~' && rest[0]?.kind === 'text' && !rest[0].text.startsWith('/')) return word;
  return { parts: [{ ...first, text: HOME + first.text.slice(1) }, ...rest] };
}

/** Output of the `$(...)` substitutions of the line being run, by their command text. */
type Captured = Map<string, string>;

export interface LabTerminalOptions {
  /**
   * The student's home directory, which belongs to the lab session (restore it with HomeDirectory.restore). By
   * default a new home holding the example manifests (deployment.yaml, service.yaml, pod.yaml) as starter files.
   */
  home?: HomeDirectory;
}

/**
 * The student's shell: kubectl, minikube, curl, file commands over the home directory and a few shell basics, all
 * in-process against one Cluster. Every line is checked completely (programs, operators, substitutions, filter
 * options, redirection targets) before any part runs.
 */
export class LabTerminal {
  private readonly variables = new Map<string, string>([['HOME', HOME]]);
  /** The student's files; `home.snapshot()` is what the session stores. */
  readonly home: HomeDirectory;
  private readonly files: VirtualFiles;
  /** The working directory (a key of the home) and `cd -`'s previous one. */
  private cwd = '';
  private oldCwd: string | undefined;
  private shell: PodShellSession | undefined;
  /** An interactive `minikube ssh` session: lines go to the node's shell until `exit`. */
  private nodeShell: NodeShellSession | undefined;
  /** The machine's loopback ports, shared by every line (a background port-forward keeps its ports). */
  private readonly localPorts = new LocalPorts();

  constructor(
    private readonly cluster: Cluster,
    options: LabTerminalOptions = {},
  ) {
    this.home = options.home ?? new HomeDirectory(() => cluster.clock.now(), EXAMPLE_MANIFESTS);
    this.files = new VirtualFiles(this.home, () => this.cwd);
  }

  /** Tab completion for `partialLine`, with paths of this terminal's home from its working directory. */
  complete(partialLine: string): string[] {
    return completions(this.cluster, partialLine, this.home, this.cwd);
  }

  /** The working directory as the prompt shows it: `~` for the home, `~/manifests` below it. */
  workingDirectory(): string {
    return this.cwd === '' ? '~' : `~/${this.cwd}`;
  }

  prompt(): string {
    return this.shell ? this.shell.prompt : this.nodeShell ? this.nodeShell.prompt : '$ ';
  }

  /** Lines go to a pod's shell (`kubectl exec -ti POD -- bash`), where `&` and job control are the pod's. */
  inPodShell(): boolean {
    return this.shell !== undefined || this.nodeShell !== undefined;
  }

  /**
   * Runs one command line. `text` may carry the bodies of its here-documents on the following lines; a body that is
   * still open is read from `io.stdin` up to its delimiter line.
   */
  async run(text: string, io: TerminalIO): Promise<number> {
    try {
      this.cluster.sync();
      if (this.nodeShell) {
        const { exitCode, ended } = runNodeShellLine(this.nodeShell, text, io);
        if (ended) this.nodeShell = undefined;
        return exitCode;
      }
      if (!this.shell) return await this.runLine(text, io);
      const shell = this.shell;
      const { exitCode, ended } = await runPodShellLine(this.cluster, shell, text, io);
      if (!ended) return exitCode;
      this.shell = undefined;
      // What the kubectl that opened the shell does once it ends (`run --rm -it` deletes its pod).
      return shell.onEnd ? await shell.onEnd(exitCode, io) : exitCode;
    } catch (error) {
      // Ctrl-C while a program waited for input.
      if (isAbortError(error)) return 130;
      if (
        error instanceof ShellSyntaxError ||
        error instanceof RejectedLine ||
        error instanceof FilterUsageError
      ) {
        io.stderr(error.message.endsWith('\n') ? error.message : `${error.message}\n`);
        return error.exitCode;
      }
      io.stderr(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }

  private async runLine(text: string, io: TerminalIO): Promise<number> {
    const { stages, heredocs, redirects } = tokenize(text);
    await this.readHeredocBodies(heredocs, io);
    if (stages.length === 0) return 0;
    this.validate(stages, heredocs);
    validateRedirects(this.fileContext(io), stages.length, redirects);
    const [first] = stages;
    const name = literalText(first[0]) as string;
    if (ASSIGNMENT.test(name) || name === 'export' || name === 'unset') return this.assign(first, io);
    const bodies = heredocs.filter((h) => !h.quoted).map((h) => ({ parts: heredocParts(heredocText(h)) }));
    const captured = await this.substitute([...stages, bodies], io);
    const argvs = stages.map((stage) => this.expand(stage, captured));
    // A stage's stdin is its last here-document, as in bash, where a later redirection replaces an earlier one.
    const inputs = stages.map((_, index) => {
      const heredoc = heredocs.filter((h) => h.stage === index).pop();
      if (!heredoc) return undefined;
      return heredoc.quoted
        ? heredocText(heredoc)
        : this.expand([{ parts: heredocParts(heredocText(heredoc)) }], captured, false).join('');
    });
    // bash opens (creates or empties) the file of `>` before the command runs; a bad target stops the line.
    const redirection = this.openRedirection(redirects, captured, io);
    if (redirection === 'failed') return 1;
    const out = redirection
      ? { ...io, tty: false, stdout: (chunk: string) => void (redirection.text += chunk) }
      : io;
    const code = await this.runCommand(name, argvs, inputs, out);
    if (redirection && !writeRedirect(this.fileContext(io), redirection)) return 1;
    return code;
  }

  private runCommand(
    name: string,
    argvs: string[][],
    inputs: (string | undefined)[],
    io: TerminalIO,
  ): Promise<number> | number {
    if ((JOB_CONTROL_BUILTINS as readonly string[]).includes(name)) return this.jobControl(argvs[0], io);
    if (name === 'read') return this.read(argvs[0].slice(1), inputs[0], io);
    if (name === 'cd') return this.cd(argvs[0].slice(1), io);
    return this.runStages(argvs, inputs, io);
  }

  private openRedirection(
    redirects: Redirect[],
    captured: Captured,
    io: TerminalIO,
  ): Redirection | undefined | 'failed' {
    const [redirect] = redirects;
    if (!redirect) return undefined;
    const target = this.expand([redirect.target], captured, false).join('');
    return openRedirect(this.fileContext(io), target, redirect.append) ?? 'failed';
  }

  private fileContext(io: Pick<TerminalIO, 'stdout' | 'stderr'>, out = io.stdout): FileContext {
    return { home: this.home, cwd: this.cwd, stdout: out, stderr: io.stderr };
  }

  /** `cd`: a background job's `cd` is its subshell's, as in bash. */
  private cd(args: string[], io: TerminalIO): number {
    const result = runCd(this.fileContext(io), args, this.oldCwd);
    if (result.cwd !== undefined && !io.background) {
      this.oldCwd = this.cwd;
      this.cwd = result.cwd;
    }
    return result.code;
  }

  /**
   * Runs the pipeline. A stage after a pipe that is not a filter (`kubectl apply -f -`), or that has a
   * here-document of its own, starts a new segment: it reads the whole output of the segment before it (or its
   * body) once that has ended, which is all `apply -f -` does with its input anyway.
   */
  private async runStages(
    argvs: string[][],
    inputs: (string | undefined)[],
    io: TerminalIO,
  ): Promise<number> {
    // Every filter's options are checked before the first stage runs.
    const prepared = argvs.map((argv) => (FILTER_NAMES.includes(argv[0]) ? prepareFilter(argv) : undefined));
    prepared.forEach((filter, index) => {
      if (index > 0 && filter?.file !== undefined && inputs[index] === undefined)
        throw new RejectedLine(
          `a filter after a pipe reads the pipe; remove the file name '${filter.file}'`,
          2,
        );
    });
    const starts = argvs
      .map((_, index) => index)
      .filter((index) => index === 0 || prepared[index] === undefined || inputs[index] !== undefined);
    let piped: string | undefined;
    let code = 0;
    for (const [n, start] of starts.entries()) {
      const end = starts[n + 1] ?? argvs.length;
      let buffer = '';
      const out = n === starts.length - 1 ? io.stdout : (chunk: string) => (buffer += chunk);
      const filters = prepared.slice(start + 1, end) as PreparedFilter[];
      const input = inputs[start] ?? piped;
      const head = prepared[start];
      const fromTerminal = start === 0 && input === undefined && !io.background;
      const stdin = input !== undefined ? textInput(input) : fromTerminal ? (io.stdin ?? NO_INPUT) : NO_INPUT;
      // ls prints columns only to the terminal itself (not into a pipe or a redirected file).
      const tty = out === io.stdout && filters.length === 0 && io.tty !== false;
      code = await runPipeline(out, filters, (sink) =>
        head
          ? this.runFilterHead(head, input, sink, io)
          : this.runProgram(argvs[start], sink, io, fromTerminal && filters.length === 0, stdin, tty),
      );
      piped = buffer;
    }
    return code;
  }

  /** Reads the open here-document bodies from stdin, as bash does before it runs the line. */
  private async readHeredocBodies(heredocs: Heredoc[], io: TerminalIO): Promise<void> {
    const stdin = io.background ? NO_INPUT : (io.stdin ?? NO_INPUT);
    // bash runs the command with the body so far; the line number is the here-document's line in the run.
    const warning = (open: Heredoc) =>
      `bash: warning: here-document at line 1 delimited by end-of-file (wanted \`${open.delimiter}')\n`;
    await readHeredocBodies(heredocs, stdin, warning, io);
  }

  /** `read`: its input is the line's here-document, else the terminal (a background job has none). */
  private async read(args: string[], input: string | undefined, io: TerminalIO): Promise<number> {
    const fromTerminal = input === undefined && !io.background && io.stdin !== undefined;
    const stdin = input !== undefined ? textInput(input) : fromTerminal ? (io.stdin ?? NO_INPUT) : NO_INPUT;
    const result = await runRead(args, stdin, io, { fromTerminal, signal: io.signal });
    if (!io.background) for (const [name, value] of result.assignments) this.variables.set(name, value);
    return result.exitCode;
  }

  /**
   * `jobs`, `kill`, `fg`, `bg`, `wait` reaching the terminal itself: the jobs live with whoever runs them (the
   * platform, the transcript runner), which answer these from their job table; here the table is empty.
   */
  private jobControl(argv: string[], io: TerminalIO): number {
    const [name, ...args] = argv;
    const result =
      name === 'jobs'
        ? formatJobs([], args)
        : name === 'kill'
          ? parseKill(args, [])
          : name === 'fg'
            ? parseFg(args, [])
            : name === 'bg'
              ? parseBg(args, [])
              : name === 'disown'
                ? parseDisown(args, [])
                : parseWait(args, []);
    io.stdout(result.stdout);
    io.stderr(result.stderr);
    return result.exitCode;
  }

  /** Rejects unknown programs, unsupported substitutions and misplaced assignments before anything runs. */
  private validate(stages: Word[][], heredocs: readonly Heredoc[]): void {
    stages.forEach((stage, index) => {
      const name = literalText(stage[0]);
      if (name === undefined)
        throw new RejectedLine(
          'the command name must be written out (variables and substitutions are only allowed in arguments)',
          NOT_AVAILABLE,
        );
      if (ASSIGNMENT.test(name)) {
        if (stages.length > 1 || stage.length > 1)
          throw new RejectedLine(
            `'${name.split('=')[0]}=... command' (setting a variable for one command) is not available in this lab terminal; use export NAME=value on its own line`,
            2,
          );
      } else if (
        index > 0 &&
        !FILTER_NAMES.includes(name) &&
        !kubectlReadsStdin(stage.map((word) => literalText(word) ?? ''))
      ) {
        throw new RejectedLine(
          `${name}: not available after a pipe in this lab terminal (pipes can feed grep, wc, head, tail and kubectl apply -f -)`,
          NOT_AVAILABLE,
        );
      } else if (!PROGRAMS.includes(name)) {
        const hint = UNAVAILABLE_HINTS[name];
        throw new RejectedLine(
          `${name}: command not available in this lab terminal${hint ? ` (${hint})` : ''}; type 'help' to see what is`,
          NOT_AVAILABLE,
        );
      } else if ((name === 'read' || JOB_CONTROL_BUILTINS.some((b) => b === name)) && stages.length > 1) {
        throw new RejectedLine(
          `${name}: not available in a pipeline in this lab terminal; run it on its own`,
          2,
        );
      }
      for (const word of stage)
        for (const part of word.parts) if (part.kind === 'subst') this.validateSubstitution(part.command);
    });
    for (const heredoc of heredocs)
      if (!heredoc.quoted)
        for (const part of heredocParts(heredocText(heredoc)))
          if (part.kind === 'subst') this.validateSubstitution(part.command);
  }

  private validateSubstitution(command: string): void {
    const { stages, heredocs } = tokenize(command);
    if (heredocs.length > 0)
      throw new RejectedLine(`here-documents inside $(...) are not available in this lab terminal`, 2);
    const first = stages[0] ? literalText(stages[0][0]) : undefined;
    const allowed =
      first === 'kubectl' ||
      (first === 'minikube' && stages[0].length === 2 && literalText(stages[0][1]) === 'ip');
    if (!allowed)
      throw new RejectedLine(
        `$(${command}) is not available in this lab terminal: substitution works for $(minikube ip) and $(kubectl ...)`,
        NOT_AVAILABLE,
      );
    this.validate(stages, []);
  }

  private expand(stage: Word[], captured: Captured, split = true): string[] {
    return expandWords(
      stage.map(expandTilde),
      (part) =>
        part.kind === 'var' ? (this.variables.get(part.name) ?? '') : (captured.get(part.command) ?? ''),
      { split },
    );
  }

  /** Runs the line's `$(...)` substitutions (innermost first) and returns their output, trailing newlines cut. */
  private async substitute(
    stages: Word[][],
    io: TerminalIO,
    captured: Captured = new Map(),
  ): Promise<Captured> {
    for (const stage of stages)
      for (const word of stage)
        for (const part of word.parts)
          if (part.kind === 'subst' && !captured.has(part.command)) {
            let out = '';
            const collect = (chunk: string) => (out += chunk);
            const inner = tokenize(part.command).stages;
            await this.substitute(inner, io, captured);
            const argvs = inner.map((s) => this.expand(s, captured));
            await runPipeline(collect, argvs.slice(1).map(prepareFilter), (sink) =>
              this.runProgram(argvs[0], sink, { ...io, stdout: collect }, false),
            );
            captured.set(part.command, out.replace(/\n+$/, ''));
          }
    return captured;
  }

  /** A filter that starts a segment: it reads its file, else its here-document or the piped text. */
  private async runFilterHead(
    filter: PreparedFilter,
    input: string | undefined,
    out: (chunk: string) => void,
    io: TerminalIO,
  ): Promise<number> {
    if (filter.file === undefined && input !== undefined) {
      const instance = filter.factory(out);
      instance.write(input);
      return instance.end();
    }
    if (filter.file === undefined) {
      io.stderr(
        'reading from the keyboard is not available in this lab terminal: use the filter after a pipe, e.g. kubectl get pods | grep Running\n',
      );
      return 2;
    }
    return runFilterFiles(this.fileContext(io, out), filter.name, filter);
  }

  private async runProgram(
    argv: string[],
    out: (chunk: string) => void,
    io: TerminalIO,
    interactive: boolean,
    stdin: InputSource = NO_INPUT,
    tty = false,
  ): Promise<number> {
    const programIO: ProgramIO = { stdout: out, stderr: io.stderr };
    const files = this.fileContext(io, out);
    const [name, ...args] = argv;
    switch (name) {
      case 'kubectl': {
        // A stopped machine's API server refuses connections: kubectl says so as it does.
        if (this.cluster.stopped && needsServer(args)) {
          const answer = unreachableAnswer(args, `${this.cluster.nodeIp}:8443`, this.cluster.clock.now());
          if (answer.leading) io.stderr(answer.leading);
          out(answer.stdout);
          io.stderr(answer.stderr);
          return answer.code;
        }
        const ctx: KubectlContext = {
          cluster: this.cluster,
          stdout: out,
          stderr: io.stderr,
          signal: io.signal,
          files: this.files,
          interactive,
          enterPodShell: interactive ? (session) => (this.shell = session) : undefined,
          stdin,
          localPorts: this.localPorts,
          // A background job or a substitution has no terminal to edit in; KUBE_EDITOR still works there.
          editor: chooseEditor({
            setting: this.variables.get('KUBE_EDITOR') || this.variables.get('EDITOR'),
            pane: interactive ? io.editor : undefined,
            stdout: out,
            stderr: io.stderr,
            readFile: (path) => this.files.read(path),
          }),
        };
        const run = io.effects ? recordingContext(ctx, io.effects) : ctx;
        // `create -f` is kubectl's create without a subcommand, which its command table does not route.
        if (isCreateFromFiles(args)) return runCreateFromFiles(args, run);
        return runKubectl(args, run);
      }
      case 'minikube':
        // The tunnel runs until Ctrl-C (or kill, with &), like kubectl proxy.
        if (args.find((a) => !a.startsWith('-')) === 'tunnel')
          return runMinikubeTunnel(this.cluster, programIO, io.signal);
        // `minikube ssh` without a command, typed at the terminal, opens the node's shell (like kubectl exec -ti).
        if (interactive && !this.cluster.stopped && args.find((a) => !a.startsWith('-')) === 'ssh')
          return runMinikubeSsh(
            this.cluster.api.list<Node>('nodes'),
            args.slice(args.indexOf('ssh') + 1),
            programIO,
            (session) => (this.nodeShell = session),
          );
        if (args.find((a) => !a.startsWith('-')) === 'dashboard')
          return runMinikubeDashboard(this.cluster, args, programIO, io.signal, (port, signal, onServing) =>
            // minikube's own `kubectl proxy --port PORT`, whose "Starting to serve on HOST:PORT" it reads.
            runKubectl(['proxy', '--port', String(port)], {
              cluster: this.cluster,
              stdout: (chunk) => {
                const served = /^Starting to serve on (\S+)/.exec(chunk);
                if (served) onServing(served[1]);
              },
              stderr: io.stderr,
              signal,
              files: this.files,
              interactive: false,
              localPorts: this.localPorts,
            }),
          );
        return (
          this.runMinikubeMachine(args, programIO, io.signal) ?? runMinikube(this.cluster, args, programIO)
        );
      case 'curl':
        return runCurl(this.cluster, args, programIO, this.localPorts);
      case 'echo':
        return runEcho(args, programIO);
      case 'ls':
        return runLs(files, args, tty);
      case 'cat':
        return runCat(files, args, stdin, io.signal);
      case 'pwd':
        return runPwd(files, args);
      case 'mkdir':
        return runMkdir(files, args);
      case 'rm':
        return runRm(files, args);
      case 'mv':
        return runMv(files, args);
      case 'cp':
        return runCp(files, args);
      case 'touch':
        return runTouch(files, args);
      case 'diff':
        return runDiff(files, args);
      case 'vim':
      case 'vi':
      case 'nano':
        return runEditor(files, name, args);
      case 'cd':
        // `cd` in a pipeline runs in a subshell: it checks its directory and changes nothing.
        return runCd(files, args, this.oldCwd).code;
      case 'help':
        out(HELP_TEXT);
        return 0;
      case 'clear':
        return 0;
      case 'exit':
        io.stderr('exit: this lab terminal stays open; close the browser tab to leave\n');
        return 1;
      default:
        io.stderr(`${name}: command not available in this lab terminal\n`);
        return NOT_AVAILABLE;
    }
  }

  /** The minikube commands that take time on the cluster's clock (machine and node changes); undefined: another. */
  private runMinikubeMachine(
    args: string[],
    io: ProgramIO,
    signal: AbortSignal | undefined,
  ): Promise<number> | undefined {
    const words = args.filter((a) => !a.startsWith('-'));
    if (words[0] === 'stop') return runMinikubeStop(this.cluster, io, signal);
    if (words[0] === 'start') return runMinikubeStart(this.cluster, io, signal);
    if (words[0] === 'node' && (words[1] === 'add' || words[1] === 'delete')) {
      const rest = args.slice(args.indexOf(words[1]) + 1);
      return words[1] === 'add'
        ? runMinikubeNodeAdd(this.cluster, rest, io, signal)
        : runMinikubeNodeDelete(this.cluster, rest, io, signal);
    }
    return undefined;
  }

  /** `NAME=value`, `export NAME=value ...`, `export NAME`, `unset NAME`. */
  private async assign(stage: Word[], io: TerminalIO): Promise<number> {
    // A background job runs in a subshell: what it sets is gone when it ends.
    const variables = io.background ? new Map(this.variables) : this.variables;
    const captured = await this.substitute([stage], io);
    const argv = stage.map((word) => this.expand([word], captured, false).join(''));
    const [name, ...rest] = argv;
    if (name === 'unset') {
      for (const variable of rest) variables.delete(variable);
      return 0;
    }
    const assignments = name === 'export' ? rest : argv;
    for (const assignment of assignments) {
      const match = ASSIGNMENT.exec(assignment);
      if (!match) {
        if (name === 'export' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(assignment)) continue;
        io.stderr(`bash: export: \`${assignment}': not a valid identifier\n`);
        return 1;
      }
      variables.set(match[1], assignment.slice(match[0].length));
    }
    return 0;
  }
}
