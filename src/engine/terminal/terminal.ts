import type { Cluster } from '../cluster';
import type { KubectlContext, PodShellSession } from '../kubectl/context';
import { runKubectl } from '../kubectl/kubectl';
import { HOME, VirtualFiles } from '../kubectl/virtual-files';
import { FILTER_NAMES, FilterUsageError } from './filters';
import { NOT_AVAILABLE, PreparedFilter, prepareFilter, RejectedLine, runPipeline } from './pipeline';
import { runPodShellLine } from './pod-shell';
import {
  HELP_TEXT,
  ProgramIO,
  runCat,
  runCurl,
  runEcho,
  runLs,
  runMinikube,
  UNAVAILABLE_HINTS,
} from './programs';
import { LINE_PROGRAMS } from './vocabulary';
import { expandWords, literalText, ShellSyntaxError, tokenize, Word } from './tokenizer';

export interface TerminalIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  signal?: AbortSignal;
}

/** Programs that can start a line (filters may too, reading one of the example files). */
const PROGRAMS: readonly string[] = [...LINE_PROGRAMS, ...FILTER_NAMES];
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** Output of the `$(...)` substitutions of the line being run, by their command text. */
type Captured = Map<string, string>;

/**
 * The student's shell: kubectl, minikube, curl and a few shell basics, all in-process against one Cluster.
 * Every line is checked completely (programs, operators, substitutions, filter options) before any part runs.
 */
export class LabTerminal {
  private readonly variables = new Map<string, string>([['HOME', HOME]]);
  private readonly files = new VirtualFiles();
  private shell: PodShellSession | undefined;

  constructor(private readonly cluster: Cluster) {}

  prompt(): string {
    return this.shell ? this.shell.prompt : '$ ';
  }

  async run(line: string, io: TerminalIO): Promise<number> {
    try {
      this.cluster.sync();
      if (!this.shell) return await this.runLine(line, io);
      const { exitCode, ended } = await runPodShellLine(this.cluster, this.shell, line, io);
      if (ended) this.shell = undefined;
      return exitCode;
    } catch (error) {
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

  private async runLine(line: string, io: TerminalIO): Promise<number> {
    const { stages } = tokenize(line);
    if (stages.length === 0) return 0;
    this.validate(stages);
    const [first] = stages;
    const name = literalText(first[0]) as string;
    if (ASSIGNMENT.test(name) || name === 'export' || name === 'unset') return this.assign(first, io);
    const captured = await this.substitute(stages, io);
    const argvs = stages.map((stage) => this.expand(stage, captured));
    const filters = argvs.slice(1).map(prepareFilter);
    const firstFilter = FILTER_NAMES.includes(argvs[0][0]) ? prepareFilter(argvs[0]) : undefined;
    return runPipeline(io.stdout, filters, (out) =>
      firstFilter
        ? this.runFileFilter(firstFilter, out, io)
        : this.runProgram(argvs[0], out, io, filters.length === 0),
    );
  }

  /** Rejects unknown programs, unsupported substitutions and misplaced assignments before anything runs. */
  private validate(stages: Word[][]): void {
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
      } else if (index > 0 && !FILTER_NAMES.includes(name)) {
        throw new RejectedLine(
          `${name}: not available after a pipe in this lab terminal (pipes can feed grep, wc, head and tail)`,
          NOT_AVAILABLE,
        );
      } else if (!PROGRAMS.includes(name)) {
        const hint = UNAVAILABLE_HINTS[name];
        throw new RejectedLine(
          `${name}: command not available in this lab terminal${hint ? ` (${hint})` : ''}; type 'help' to see what is`,
          NOT_AVAILABLE,
        );
      }
      for (const word of stage)
        for (const part of word.parts) if (part.kind === 'subst') this.validateSubstitution(part.command);
    });
  }

  private validateSubstitution(command: string): void {
    const { stages } = tokenize(command);
    const first = stages[0] ? literalText(stages[0][0]) : undefined;
    const allowed =
      first === 'kubectl' ||
      (first === 'minikube' && stages[0].length === 2 && literalText(stages[0][1]) === 'ip');
    if (!allowed)
      throw new RejectedLine(
        `$(${command}) is not available in this lab terminal: substitution works for $(minikube ip) and $(kubectl ...)`,
        NOT_AVAILABLE,
      );
    this.validate(stages);
  }

  private expand(stage: Word[], captured: Captured, split = true): string[] {
    return expandWords(
      stage,
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

  private async runFileFilter(
    filter: PreparedFilter,
    out: (chunk: string) => void,
    io: TerminalIO,
  ): Promise<number> {
    if (filter.file === undefined) {
      io.stderr(
        'reading from the keyboard is not available in this lab terminal: use the filter after a pipe, e.g. kubectl get pods | grep Running\n',
      );
      return 2;
    }
    const text = this.files.read(filter.file);
    if (text === undefined) {
      io.stderr(`${filter.file}: No such file or directory\n`);
      return 2;
    }
    const instance = filter.factory(out);
    instance.write(text);
    return instance.end();
  }

  private async runProgram(
    argv: string[],
    out: (chunk: string) => void,
    io: TerminalIO,
    interactive: boolean,
  ): Promise<number> {
    const programIO: ProgramIO = { stdout: out, stderr: io.stderr };
    const [name, ...args] = argv;
    switch (name) {
      case 'kubectl': {
        const ctx: KubectlContext = {
          cluster: this.cluster,
          stdout: out,
          stderr: io.stderr,
          signal: io.signal,
          files: this.files,
          interactive,
          enterPodShell: interactive ? (session) => (this.shell = session) : undefined,
        };
        return runKubectl(args, ctx);
      }
      case 'minikube':
        return runMinikube(this.cluster, args, programIO);
      case 'curl':
        return runCurl(this.cluster, args, programIO);
      case 'echo':
        return runEcho(args, programIO);
      case 'ls':
        return runLs(this.files, args, programIO);
      case 'cat':
        return runCat(this.files, args, programIO);
      case 'pwd':
        out(`${HOME}\n`);
        return 0;
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

  /** `NAME=value`, `export NAME=value ...`, `export NAME`, `unset NAME`. */
  private async assign(stage: Word[], io: TerminalIO): Promise<number> {
    const captured = await this.substitute([stage], io);
    const argv = stage.map((word) => this.expand([word], captured, false).join(''));
    const [name, ...rest] = argv;
    if (name === 'unset') {
      for (const variable of rest) this.variables.delete(variable);
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
      this.variables.set(match[1], assignment.slice(match[0].length));
    }
    return 0;
  }
}
