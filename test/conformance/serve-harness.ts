/**
 * The conformance harness: real kubectl against `engine serve --clock=manual`, and the built-in terminal on a twin
 * cluster (same seed, same virtual start time) driven by the same lines. Lines are split as the oracle harness
 * splits them (no shell runs); kubectl only ever talks to 127.0.0.1.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runStep, TRANSCRIPT_SEED, TRANSCRIPT_START_MS } from '../../src/engine/cli/transcript-runner';
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster, type Cluster } from '../../src/engine/cluster';
import { EXAMPLE_MANIFESTS } from '../../src/engine/kubectl/virtual-files';
import { LabTerminal } from '../../src/engine/terminal';
import { normalize, splitWords, type Outcome } from '../oracle/oracle';

/** The gcloud dispatcher: it asks the server's /version and runs kubectl.1.30 for a v1.30 server. */
export const KUBECTL = '/usr/bin/kubectl';
export const KUBECTL_130 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
const ROOT = path.resolve(__dirname, '..', '..');

export function requireKubectl(): void {
  for (const binary of [KUBECTL, KUBECTL_130]) {
    try {
      fs.accessSync(binary, fs.constants.X_OK);
    } catch {
      throw new Error(`${binary} is missing or not executable: the conformance suite needs real kubectl`);
    }
  }
}

/** `engine serve --clock=manual` as a child process; `advance` moves its virtual clock. */
export class ServedCluster {
  private lines: string[] = [];
  private waiters: ((line: string) => void)[] = [];
  kubeconfig = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        const waiter = this.waiters.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
  }

  static async start(extra: string[] = []): Promise<ServedCluster> {
    const child = spawn(
      process.execPath,
      [
        '-r',
        './scripts/swc-register.cjs',
        'src/engine/cli/transcript.ts',
        'serve',
        '--clock=manual',
        ...extra,
      ],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const served = new ServedCluster(child);
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      served.nextLine(),
      new Promise<string>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`engine serve did not start in 60 s: ${stderr}`)), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!first.startsWith('KUBECONFIG=')) throw new Error(`engine serve printed ${first}: ${stderr}`);
    served.kubeconfig = first.slice('KUBECONFIG='.length);
    return served;
  }

  private nextLine(): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Moves the served cluster's clock; resolves with its new time once it has caught up. */
  async advance(ms: number): Promise<number> {
    this.child.stdin.write(`advance ${ms}ms\n`);
    const answer = await this.nextLine();
    const m = /^advanced (\d+)$/.exec(answer);
    if (!m) throw new Error(`engine serve answered ${answer}`);
    return Number(m[1]);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }
}

const PIPED = /^echo '([^']*)' \| (kubectl .*)$/;
/** `KUBE_EDITOR='PROGRAM' kubectl edit ...`: the editor kubectl runs (`cat`, `true`, `cp FILE`). */
const WITH_EDITOR = /^KUBE_EDITOR='([^']*)' (kubectl .*)$/;

/** The kubectl command of a corpus line (`echo 'TEXT' | kubectl ...` pipes TEXT into it). */
export function kubectlLine(line: string): string {
  return PIPED.exec(line)?.[2] ?? WITH_EDITOR.exec(line)?.[2] ?? line;
}

/** The KUBE_EDITOR a line sets for its kubectl, if it sets one. */
export function editorOf(line: string): string | undefined {
  return WITH_EDITOR.exec(line)?.[1];
}

/** What `echo 'TEXT' | ` gives kubectl's stdin, if the line has it. */
function pipedInput(line: string): string | undefined {
  const m = PIPED.exec(line);
  return m ? `${m[1]}\n` : undefined;
}

/** kubectl with a private HOME (discovery cache) and the served kubeconfig, in a directory holding the lab's files. */
export class RealKubectl {
  readonly dir: string;
  private readonly home: string;

  constructor(private readonly kubeconfig: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-conformance-'));
    this.home = path.join(this.dir, 'home');
    fs.mkdirSync(this.home);
    for (const [name, text] of Object.entries(EXAMPLE_MANIFESTS))
      fs.writeFileSync(path.join(this.dir, name), text);
  }

  /** `kubectl ...`, or `echo 'TEXT' | kubectl ...` (TEXT and a newline on kubectl's stdin, as the lab's echo gives). */
  run(line: string, binary = KUBECTL): Promise<Outcome> {
    const piped = pipedInput(line);
    const words = splitWords(kubectlLine(line));
    if (words[0] !== 'kubectl') throw new Error(`conformance lines start with kubectl: ${line}`);
    return new Promise((resolve, reject) => {
      const child = execFile(
        binary,
        words.slice(1),
        {
          cwd: this.dir,
          env: {
            HOME: this.home,
            PATH: '/usr/bin:/bin',
            LANG: 'C.UTF-8',
            KUBECONFIG: this.kubeconfig,
            ...(editorOf(line) !== undefined ? { KUBE_EDITOR: editorOf(line) } : {}),
          },
          encoding: 'utf8',
          timeout: 20_000,
          killSignal: 'SIGKILL',
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error && error.killed)
            return reject(new Error(`${binary} did not finish within 20 s: ${line}`));
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          if (code === -1) return reject(new Error(`${binary} could not run (${error?.message}): ${line}`));
          resolve({ stdout, stderr, code });
        },
      );
      child.stdin?.end(piped);
    });
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The built-in terminal on a cluster created exactly as `engine serve --clock=manual` creates its own. */
export class TwinTerminal {
  readonly clock = new ManualClock(TRANSCRIPT_START_MS);
  readonly cluster: Cluster = createCluster({ seed: TRANSCRIPT_SEED, clock: this.clock });
  private readonly terminal = new LabTerminal(this.cluster);

  async run(line: string): Promise<Outcome> {
    // The lab's shell sets a variable for one command with export on its own line (terminal.ts validate).
    const editor = editorOf(line);
    if (editor !== undefined)
      await runStep(this.cluster, this.clock, this.terminal, `export KUBE_EDITOR='${editor}'`);
    try {
      const command = editor !== undefined ? kubectlLine(line) : line;
      const step = await runStep(this.cluster, this.clock, this.terminal, command);
      return { stdout: step.stdout, stderr: step.stderr, code: step.exitCode };
    } finally {
      if (editor !== undefined) await runStep(this.cluster, this.clock, this.terminal, 'unset KUBE_EDITOR');
    }
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    this.cluster.sync();
  }
}

/**
 * What is masked before comparing, on both sides:
 * - the oracle's masks (normalize): klog headers' date, time and pid; `kubectl version`'s build identity (v1.30.13
 *   against the lab's v1.30.0);
 * - the Age column of describe's Events table, which kubectl computes from its own wall clock (the served objects
 *   carry virtual-clock timestamps); the table is re-aligned after masking, since the column width depends on it;
 * - for the same reason, the Age column of `describe node`'s Non-terminated Pods table (its last column).
 */
export function mask(line: string, outcome: Outcome): Outcome {
  const command = kubectlLine(line);
  const base = normalize(command, outcome);
  const words = splitWords(command);
  if (words[1] === 'cluster-info') return { ...base, stdout: maskServerAddress(base.stdout) };
  if (words[1] === 'diff') return { ...base, stdout: maskDiffPaths(base.stdout) };
  if (words[1] === 'edit') return { ...base, stderr: maskEditCopy(base.stderr) };
  if (!words.includes('describe')) return base;
  return { ...base, stdout: maskNodePodAges(maskEventAges(base.stdout)) };
}

/**
 * `kubectl diff` compares two temporary folders, `/tmp/LIVE-<random>` and `/tmp/MERGED-<random>` (os.MkdirTemp),
 * and `diff -u` prints each file's modification time (real kubectl's: the wall clock; the lab's: its virtual
 * clock). The random digits and the times on the `---`/`+++` lines are masked; everything else is compared.
 */
function maskDiffPaths(text: string): string {
  return text
    .replace(/\/tmp\/(LIVE|MERGED)-\d+\//g, '/tmp/$1-<n>/')
    .replace(/^(---|\+\+\+) (\S+)\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4}$/gm, '$1 $2\t<time>');
}

/**
 * `kubectl edit` keeps the saved text when it gives up: real kubectl in its temporary file
 * (`/tmp/kubectl-edit-<random>.yaml`), the lab in the home (`/home/student/kubectl-edit-<n>.yaml`, the only place
 * its files live). That path is masked.
 */
function maskEditCopy(text: string): string {
  return text.replace(/"(\/tmp|\/home\/student)\/kubectl-edit-\d+\.(yaml|json)"/g, '"<edit-copy>"');
}

/**
 * `cluster-info` names the API server each kubectl talks to: real kubectl the served http://127.0.0.1:<port>, the
 * built-in minikube's https://192.168.49.2:8443. Only that address is masked; the rest, colours included, is compared.
 */
function maskServerAddress(text: string): string {
  return text.replace(/https?:\/\/(127\.0\.0\.1:\d+|192\.168\.49\.2:8443)/g, '<server>');
}

/** The node's pods table: each row's last cell (Age) masked; being the last column, it widens no other. */
function maskNodePodAges(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^Non-terminated Pods:/.test(l));
  if (at < 0 || !/^\s+Namespace\s+Name\s+CPU Requests\s.*\sAge$/.test(lines[at + 1] ?? '')) return text;
  for (let j = at + 3; j < lines.length && /^\s{2}\S/.test(lines[j]); j++)
    lines[j] = lines[j].replace(/\S+$/, '<age>');
  return lines.join('\n');
}

function maskEventAges(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (
      !/^Events:\s*$/.test(lines[i]) ||
      !/^\s+Type\s+Reason\s+Age\s+From\s+Message/.test(lines[i + 1] ?? '')
    )
      continue;
    let j = i + 1;
    for (; j < lines.length && /^\s{2}\S/.test(lines[j]); j++) {
      const cells = lines[j].trim().split(/\s{2,}/);
      if (j > i + 2 && cells.length >= 4) cells[2] = '<age>';
      lines[j] = '  ' + cells.join(' | ');
    }
    i = j;
  }
  return lines.join('\n');
}

/** Corpus lines and `# advance <duration>` directives, in order. */
export type CorpusEntry = { advance: number } | { line: string };

export function readConformanceCorpus(file: string): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const advance = /^#\s*advance\s+(\d+)(ms|s|m|h)$/.exec(line);
    if (advance) {
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[advance[2] as 'ms' | 's' | 'm' | 'h'];
      out.push({ advance: Number(advance[1]) * unit });
    } else if (line !== '' && !line.trimStart().startsWith('#')) out.push({ line });
  }
  return out;
}

/** Lines known to differ (each preceded by its reason in the file). */
export function readKnownDifferences(file: string): Set<string> {
  return new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.replace(/\s+$/, ''))
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}
