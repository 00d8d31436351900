import { isStatusError } from '../api/status-error';
import type { Pod } from '../api/types';
import { profileForImage, shellPrompt } from '../runtime/image-profiles';
import type { Cluster } from '../cluster';
import type { PodShellSession } from '../kubectl/context';
import { formatError } from '../kubectl/errors';
import { FILTER_NAMES } from './filters';
import { prepareFilter, RejectedLine, runPipeline } from './pipeline';
import { isRequestLoop, runRequestLoop } from './request-loop';
import { readHeredocBodies } from './heredoc-input';
import { type InputSource, NO_INPUT } from './input';
import { expandWords, type Heredoc, heredocParts, heredocText, tokenize } from './tokenizer';

export interface PodShellIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  /** Ctrl-C: ends a line that runs until interrupted (a request loop). */
  signal?: AbortSignal;
  /** The lines typed while the line runs: the rest of an open here-document. */
  stdin?: InputSource;
}

/**
 * One line typed inside `kubectl exec -ti POD -- bash`: the command runs in the container through the runtime,
 * pipes into grep/wc/head/tail run in-process, `$VAR` comes from the container's environment.
 * Returns the exit code and whether the shell ended (`exit`, or the pod went away).
 */
export async function runPodShellLine(
  cluster: Cluster,
  session: PodShellSession,
  line: string,
  io: PodShellIO,
): Promise<{ exitCode: number; ended: boolean }> {
  if (isRequestLoop(line))
    return { exitCode: await runRequestLoop(cluster, session, line, io), ended: false };
  const { stages, heredocs, redirects } = tokenize(line);
  if (stages.length === 0 && heredocs.length === 0) return { exitCode: 0, ended: false };
  const exec = (argv: string[], tty: boolean) =>
    cluster.runtime.exec(session.namespace, session.pod, session.container, argv, {
      tty,
      cwd: session.cwd ?? '/',
      interactive: true,
    });
  const envValue = (name: string) => {
    try {
      const result = exec(['printenv', name], false);
      return result.exitCode === 0 ? result.stdout.replace(/\n$/, '') : '';
    } catch {
      return '';
    }
  };
  if (heredocs.length > 0) {
    const run = await heredocRun(session, line, heredocs, io, envValue);
    return runInContainerShell(io, () =>
      cluster.runtime.exec(session.namespace, session.pod, session.container, ['sh', '-c', run.command], {
        tty: true,
        cwd: session.cwd ?? '/',
        interactive: true,
        stdin: run.stdin,
      }),
    );
  }
  const argvs = stages.map((stage) =>
    expandWords(stage, (part) => (part.kind === 'var' ? envValue(part.name) : '')),
  );
  if (argvs[0][0] === 'exit') {
    io.stdout('exit\n');
    // The shell's status ends the exec stream; kubectl reports a non-zero one.
    const status = argvs[0][1] === undefined ? 0 : Number(argvs[0][1]);
    const code = Number.isInteger(status) ? ((status % 256) + 256) % 256 : 2;
    if (code !== 0 && !session.attached) io.stderr(`command terminated with exit code ${code}\n`);
    return { exitCode: code, ended: true };
  }
  // Redirections and pipes into the container's own programs (`echo x | tee f`, `cat f | sed s/a/b/`) are the
  // container shell's business: the line runs there as `sh -c LINE`, in the session's directory.
  if (redirects.length > 0 || argvs.slice(1).some((argv) => !FILTER_NAMES.includes(argv[0] ?? '')))
    return runInContainerShell(io, () => exec(['sh', '-c', line], true));
  const filters = argvs.slice(1).map(prepareFilter);
  if (argvs[0].length === 0) return { exitCode: 0, ended: false };
  let ended = false;
  const exitCode = await runPipeline(io.stdout, filters, async (out) => {
    try {
      const result = exec(argvs[0], true);
      if (result.cwd !== undefined || argvs[0][0] === 'cd') {
        session.cwd = result.cwd ?? session.cwd ?? '/';
        const image = cluster.api
          .get<Pod>('pods', session.namespace, session.pod)
          .spec.containers.find((c) => c.name === session.container)?.image;
        session.prompt = shellPrompt(
          session.shell ?? 'bash',
          profileForImage(image ?? ''),
          session.pod,
          session.cwd,
        );
      }
      out(result.stdout);
      io.stderr(result.stderr);
      return result.exitCode;
    } catch (error) {
      if (!isStatusError(error)) throw error;
      // The pod or its container went away: the exec stream ends like a killed shell.
      ended = true;
      io.stderr(formatError(error, 'kubectl exec').text);
      io.stderr('command terminated with exit code 137\n');
      return 137;
    }
  });
  return { exitCode, ended };
}

/**
 * A line with a here-document (`cat <<EOF > /tmp/x`): the shell reads the body's lines up to the delimiter line
 * (typed one at a time, or pasted with the line), expands `$NAME` in an unquoted body from the container's
 * environment, and runs the command line without its `<<WORD` in the container's shell with the body as stdin.
 * Only the line's first command reads a body (the last one given, as in sh).
 */
async function heredocRun(
  session: PodShellSession,
  line: string,
  heredocs: Heredoc[],
  io: PodShellIO,
  envValue: (name: string) => string,
): Promise<{ command: string; stdin: string }> {
  if (heredocs.some((h) => h.stage !== 0))
    throw new RejectedLine(
      "in the pod shell of this lab terminal only a line's first command can read a here-document",
      2,
    );
  // bash names the missing delimiter when input ends (Ctrl-D) inside a body; busybox ash and dash end it silently.
  const warning = (open: Heredoc) =>
    /(^|\/)bash$/.test(session.shell ?? '')
      ? `bash: warning: here-document at line 1 delimited by end-of-file (wanted \`${open.delimiter}')\n`
      : '';
  await readHeredocBodies(heredocs, io.stdin ?? NO_INPUT, warning, io);
  const heredoc = heredocs[heredocs.length - 1];
  const stdin = heredoc.quoted
    ? heredocText(heredoc)
    : expandWords([{ parts: heredocParts(heredocText(heredoc)) }], (part) =>
        part.kind === 'var' ? envValue(part.name) : '',
      ).join('');
  const firstLine = line.split('\n')[0];
  let command = '';
  let from = 0;
  for (const { operator } of heredocs) {
    if (!operator) continue;
    command += firstLine.slice(from, operator[0]);
    from = operator[1];
  }
  return { command: command + firstLine.slice(from), stdin };
}

function runInContainerShell(
  io: PodShellIO,
  run: () => { stdout: string; stderr: string; exitCode: number },
): { exitCode: number; ended: boolean } {
  try {
    const result = run();
    io.stdout(result.stdout);
    io.stderr(result.stderr);
    return { exitCode: result.exitCode, ended: false };
  } catch (error) {
    if (!isStatusError(error)) throw error;
    io.stderr(formatError(error, 'kubectl exec').text);
    io.stderr('command terminated with exit code 137\n');
    return { exitCode: 137, ended: true };
  }
}
