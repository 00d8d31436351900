/**
 * The platform half of bench:api (issue 20): students' own Kubernetes clients against the real platform, through the
 * API process's TLS listener, the worker's relay and the session's engine cluster.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { enrolledStudent, EnrolledStudent, TestPlatform } from '../../test/support/platform';

export interface KubeApiStudent {
  student: EnrolledStudent;
  /** The downloaded kubeconfig's text. */
  kubeconfig: string;
  server: string;
  token: string;
  ca: string;
}

/** What `kubectl get pods` asks for: the pods as a Table. */
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** Enrols `count` students (their clusters started), each with the kubeconfig "Use your own kubectl" downloads. */
export async function kubeApiStudents(
  platform: TestPlatform,
  count: number,
  labId: string,
  batch = 20,
): Promise<KubeApiStudent[]> {
  const students: KubeApiStudent[] = [];
  for (let start = 0; start < count; start += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, async (_, offset) => {
        const student = await enrolledStudent(platform, `kapi${start + offset}@example.edu`, labId);
        const response = await fetch(
          `${platform.baseUrl}/api/lab-sessions/${student.labSessionId}/kube-api/kubeconfig`,
          { headers: { cookie: student.cookie } },
        );
        if (response.status !== 200)
          throw new Error(`kubeconfig: ${response.status} ${await response.text()}`);
        const kubeconfig = await response.text();
        const field = (name: string) => new RegExp(`${name}: (\\S+)`).exec(kubeconfig)?.[1] ?? '';
        return {
          student,
          kubeconfig,
          server: field('server'),
          token: field('token'),
          ca: Buffer.from(field('certificate-authority-data'), 'base64').toString(),
        };
      }),
    );
    students.push(...made);
  }
  return students;
}

/**
 * Real kubectl `get pods` through the platform (a new process each time, as a student types it) for each of
 * `binaries`, and the same command in the web terminal (submit → exit over socket.io), taken in turns so all see the
 * same load. The first of each is left out: kubectl fills its discovery cache, and a session's first command is
 * graded.
 */
export async function kubectlAgainstTerminal(
  one: KubeApiStudent,
  runs: number,
  binaries: string[],
  dir: string,
): Promise<{ kubectl: Map<string, number[]>; terminal: number[] }> {
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, one.kubeconfig, { mode: 0o600 });
  const env = { HOME: dir, PATH: '/usr/bin:/bin', KUBECONFIG: file };
  const runKubectl = (binary: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      execFile(binary, ['get', 'pods'], { env }, (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(performance.now() - started),
      );
    });
  const runTerminal = async () => {
    const started = performance.now();
    const ack = await one.student.socket.emitWithAck('command.submit', {
      labSessionId: one.student.labSessionId,
      command: 'kubectl get pods',
    });
    if (!ack.ok) throw new Error(`terminal: ${ack.message}`);
    await one.student.log.exitOf(ack.data.runId, 30_000);
    return performance.now() - started;
  };
  for (const binary of binaries) await runKubectl(binary);
  await runTerminal();
  const kubectl = new Map(binaries.map((binary) => [binary, [] as number[]]));
  const terminal: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const binary of binaries) kubectl.get(binary)!.push(await runKubectl(binary));
    terminal.push(await runTerminal());
  }
  return { kubectl, terminal };
}

export interface ClassLoad {
  requests: number;
  /** ms from sending a GET to the end of its answer, of the answered ones. */
  latencies: number[];
  /** Failed GETs by kind (`HTTP 429`, `ECONNRESET`, `timeout`). */
  errors: Record<string, number>;
  watchesOpened: number;
  /** Watches that ended before the clients closed them. */
  watchesLost: number;
}

/**
 * Every student keeps one watch of their pods open and sends one `GET pods` (as a Table, what `kubectl get pods`
 * asks) a second, spread over the second, for `seconds`. Each student has its own keep-alive connection, as a
 * student's laptop would.
 */
export async function classLoad(students: KubeApiStudent[], seconds: number): Promise<ClassLoad> {
  const result: ClassLoad = { requests: 0, latencies: [], errors: {}, watchesOpened: 0, watchesLost: 0 };
  const fail = (kind: string) => (result.errors[kind] = (result.errors[kind] ?? 0) + 1);
  const agents = students.map((one) => new https.Agent({ ca: one.ca, keepAlive: true, maxSockets: 1 }));
  let closing = false;
  const watches = await Promise.all(
    students.map(
      (one) =>
        new Promise<ClientRequest>((resolve) => {
          const req = https.get(
            `${one.server}/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true`,
            { ca: one.ca, headers: { authorization: `Bearer ${one.token}` } },
            (res) => {
              if (res.statusCode === 200) result.watchesOpened++;
              else fail(`watch HTTP ${res.statusCode}`);
              res.on('data', () => undefined);
              res.on('close', () => {
                if (!closing && res.statusCode === 200) result.watchesLost++;
              });
              resolve(req);
            },
          );
          req.on('error', (error: NodeJS.ErrnoException) => {
            if (!closing) fail(`watch ${error.code ?? error.message}`);
            resolve(req);
          });
        }),
    ),
  );
  const get = (one: KubeApiStudent, agent: https.Agent) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      result.requests++;
      const req = https.get(
        `${one.server}/api/v1/namespaces/default/pods?limit=500`,
        { agent, headers: { authorization: `Bearer ${one.token}`, accept: TABLE_ACCEPT }, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) result.latencies.push(performance.now() - started);
            else fail(`HTTP ${res.statusCode}`);
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        fail(error.code ?? error.message);
        resolve();
      });
    });
  const began = performance.now();
  const pending: Promise<void>[] = [];
  await Promise.all(
    students.map(async (one, index) => {
      // Spread over the second: student i sends at i/n of each second.
      for (let second = 0; second < seconds; second++) {
        const at = began + second * 1000 + (index / students.length) * 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
        pending.push(get(one, agents[index]));
      }
    }),
  );
  await Promise.all(pending);
  closing = true;
  for (const watch of watches) watch.destroy();
  for (const agent of agents) agent.destroy();
  return result;
}
