import { isStatusError } from '../api/status-error';
import type { Pod } from '../api/types';
import { profileForImage, shellPrompt } from '../runtime/image-profiles';
import type { Cluster } from '../cluster';
import type { PodShellSession } from '../kubectl/context';
import { formatError } from '../kubectl/errors';
import { FILTER_NAMES } from './filters';
import { prepareFilter, RejectedLine, runPipeline } from './pipeline';
import { isRequestLoop, runRequestLoop } from './request-loop';
import { expandWords, tokenize } from './tokenizer';

export interface PodShellIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  /** Ctrl-C: ends a line that runs until interrupted (a request loop). */
  signal?: AbortSignal;
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
  if (heredocs.length > 0)
    throw new RejectedLine('here-documents are not available in the pod shell of this lab terminal', 2);
  if (stages.length === 0) return { exitCode: 0, ended: false };
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
