/**
 * The files a container's own program has made or removed so far (`touch /tmp/healthy; sleep 30; rm -f
 * /tmp/healthy`), replayed from its argv like its log, so `kubectl exec` and exec probes see them.
 */
import type { Container, Pod } from '../api/types';
import { resolveEnv } from '../controllers/container-env';
import type { ContainerRecord } from '../controllers/kubelet';
import type { ObjectStore } from '../store/store';
import { podHostname } from './apps';
import { runProgram, type ProgramRun } from './programs';

/** Applies the running instance's file changes up to `now` to `files` (path → content). */
export function applyProgramFiles(
  files: Record<string, string>,
  store: ObjectStore,
  pod: Pod,
  spec: Container | undefined,
  c: ContainerRecord,
  now: number,
): void {
  if (!spec || c.stage !== 'running' || c.startedAt === undefined) return;
  if (!spec.command?.length && !spec.args?.length) return;
  const run = runContainerProgram(store, pod, spec, c.startedAt, Math.max(0, now - c.startedAt), c.env);
  for (const change of run.files ?? []) {
    if (change.at > now - c.startedAt) break;
    if (change.exists) files[change.path] ??= '';
    else delete files[change.path];
  }
}

/**
 * The container's program as it ran from `startedAt` for `horizon` ms, with the environment the kubelet gave it:
 * what its log shows (container-logs.ts) and the files it made (above) come from this one run.
 */
export function runContainerProgram(
  store: ObjectStore,
  pod: Pod,
  spec: Container,
  startedAt: number,
  horizon: number,
  /** The instance's environment as recorded at its start; resolved now only for instances without one. */
  started?: [string, string][],
): ProgramRun {
  const env = started ? { env: started } : resolveEnv(store, pod, spec);
  return runProgram({
    image: spec.image,
    command: spec.command,
    args: spec.args,
    env: 'env' in env ? Object.fromEntries(env.env) : {},
    hostname: podHostname(pod.metadata.name),
    startedAt,
    horizon,
    stdin: spec.stdin,
  });
}
