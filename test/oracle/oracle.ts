/**
 * The differential harness: the real kubectl v1.30 binary judges the lab terminal's kubectl for everything kubectl
 * answers without a server (client-side dry runs, flag and argument errors, typo suggestions, help screens,
 * `version --client`).
 *
 * A corpus line runs twice: through a fresh embedded cluster's `LabTerminal`, and through kubectl.1.30 with its
 * arguments split as a POSIX shell would split them (no shell runs: the line is split here and the binary is
 * spawned directly). kubectl gets a kubeconfig of its own for each line, named as minikube names its cluster, context
 * and user (`minikube`, namespace `default`) but whose only server is https://127.0.0.1:1 (nothing listens there),
 * and a temporary HOME, so it never reads this machine's configuration and never reaches the network.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';
import { clientKubeconfigText } from '../../src/engine/store/kubeconfig';
import { EXAMPLE_MANIFESTS } from '../../src/engine/kubectl/virtual-files';

/** kubectl v1.30.13, shipped with the Google Cloud SDK on every machine of ours. */
export const ORACLE_BINARY = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';

/** The lab terminal's HOME. */
const LAB_HOME = '/home/student';

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

/** Throws (never skips) when the judge is missing, naming the path. */
export function requireOracle(): void {
  try {
    fs.accessSync(ORACLE_BINARY, fs.constants.X_OK);
  } catch {
    throw new Error(
      `The kubectl oracle ${ORACLE_BINARY} is missing or not executable: the differential harness cannot run without it`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus files
// ---------------------------------------------------------------------------------------------------------------

/** One command per line; blank lines and lines starting with `#` are skipped. */
export function readCorpus(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .filter((line) => line !== '' && !line.trimStart().startsWith('#'));
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting a line as a shell would
// ---------------------------------------------------------------------------------------------------------------

/**
 * Splits a command line into words as bash does for a simple command: blanks separate words, `'...'` is literal,
 * `"..."` keeps `\"`, `\\`, `\$` and `` \` `` escapes, and a backslash outside quotes escapes the next character.
 * Anything bash would treat specially (operators, expansions, globs, `~`, comments) is refused: corpus lines are
 * plain commands, and refusing keeps the harness from having to be a shell.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const refuse = (what: string) => {
    throw new Error(`corpus line uses ${what}, which the harness does not run: ${line}`);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) refuse('an unterminated quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= '';
      for (i++; ; i++) {
        if (i >= line.length) refuse('an unterminated quote');
        const d = line[i];
        if (d === '"') break;
        if (d === '$' || d === '`') refuse(`'${d}' inside double quotes`);
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
        else word += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) refuse('a trailing backslash');
      word = (word ?? '') + line[++i];
    } else if ('|&;<>()$`*?[{'.includes(c)) {
      refuse(`'${c}'`);
    } else if ((c === '#' || c === '~') && word === undefined) {
      refuse(`'${c}' at the start of a word`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a line
// ---------------------------------------------------------------------------------------------------------------

/** The lab terminal of a fresh cluster, as a student's first line would meet it. */
export async function runEngine(line: string): Promise<Outcome> {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const terminal = new LabTerminal(createCluster({ seed: 1, clock }));
  const outcome: Outcome = { stdout: '', stderr: '', code: 0 };
  outcome.code = await terminal.run(line, {
    stdout: (chunk) => (outcome.stdout += chunk),
    stderr: (chunk) => (outcome.stderr += chunk),
  });
  return outcome;
}

/** A private kubeconfig and HOME for the oracle's runs; `dispose` removes them. */
export class OracleSandbox {
  readonly dir: string;
  private readonly home: string;
  private readonly kubeconfig: string;
  private runs = 0;
  private readonly env: NodeJS.ProcessEnv;

  constructor() {
    requireOracle();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-oracle-'));
    const home = (this.home = path.join(this.dir, 'home'));
    fs.mkdirSync(home);
    // kubectl runs in `dir`, which holds the lab home's starter manifests, so `-f deployment.yaml` reads the same
    // file on both sides (client-side lines only: `--local`, `--dry-run=client`).
    for (const [name, text] of Object.entries(EXAMPLE_MANIFESTS))
      fs.writeFileSync(path.join(this.dir, name), text);
    this.kubeconfig = clientKubeconfigText({ server: 'https://127.0.0.1:1', token: 'oracle' });
    // Nothing of the caller's environment: no proxy settings, no KUBECTL_* switches, no editor.
    this.env = { HOME: home, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
  }

  /** Runs `kubectl <words>` (the line's first word must be `kubectl`) with no stdin and a 20 s limit. */
  run(line: string): Promise<Outcome> {
    const words = splitWords(line);
    if (words[0] !== 'kubectl') throw new Error(`corpus lines must start with kubectl: ${line}`);
    refuseNetwork(words, line);
    // Each run gets a kubeconfig of its own: `config use-context` and `config set-context` write to it.
    const kubeconfig = path.join(this.dir, `kubeconfig-${++this.runs}`);
    fs.writeFileSync(kubeconfig, this.kubeconfig);
    return new Promise((resolve, reject) => {
      const child = execFile(
        ORACLE_BINARY,
        words.slice(1),
        {
          env: { ...this.env, KUBECONFIG: kubeconfig },
          cwd: this.dir,
          encoding: 'utf8',
          timeout: 20_000,
          killSignal: 'SIGKILL',
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error && error.killed) {
            reject(new Error(`${ORACLE_BINARY} did not finish within 20 s: ${line}`));
            return;
          }
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          if (code === -1) {
            reject(new Error(`${ORACLE_BINARY} could not run (${error?.message}): ${line}`));
            return;
          }
          // kubectl names its cache directory under HOME (`kubectl options`): the lab's HOME is /home/student.
          const lab = (text: string) => text.split(this.home).join(LAB_HOME);
          resolve({ stdout: lab(stdout), stderr: lab(stderr), code });
        },
      );
      child.stdin?.end();
    });
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * kubectl must never reach anything but 127.0.0.1:1. Refused: URLs kubectl would fetch (`-f https://...`), the flags
 * that name another server or configuration (`-s`, `--server`, `--kubeconfig`, `--raw`), and kustomize (`-k`,
 * `--kustomize`, `kubectl kustomize`), which fetches remote bases.
 */
function refuseNetwork(words: string[], line: string): void {
  const refused = words.find(
    (word) =>
      // A location: a URL alone, or as the value of a flag that reads or connects (a literal's value is only data).
      /^(-f|--filename=|--raw=|-s|--server=)?[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(word) ||
      /^(--server|--kubeconfig|--kustomize|--raw)(=|$)/.test(word) ||
      // -s / -k, alone or after boolean shorthands (`-ts`).
      /^-[itAwRq]*[sk]/.test(word) ||
      // `kubectl kustomize --help` only prints its help.
      (word === 'kustomize' && !words.includes('--help') && !words.includes('-h')),
  );
  if (refused !== undefined)
    throw new Error(`corpus line could make kubectl reach beyond 127.0.0.1 (${refused}); not run: ${line}`);
}

/** Runs lines through the oracle, at most `parallel` at once; each line's result is a promise of its own. */
export function runAll(sandbox: OracleSandbox, lines: string[], parallel = 8): Map<string, Promise<Outcome>> {
  const results = new Map<string, Promise<Outcome>>();
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    running--;
    queue.shift()?.();
  };
  for (const line of new Set(lines)) {
    results.set(
      line,
      new Promise<Outcome>((resolve, reject) => {
        const start = () => {
          running++;
          Promise.resolve()
            .then(() => sandbox.run(line))
            .then(resolve, reject)
            .finally(next);
        };
        if (running < parallel) start();
        else queue.push(start);
      }),
    );
    // A rejection is reported by the test that awaits it.
    results.get(line)?.catch(() => undefined);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------------------------

/**
 * What is compared after masking what no two runs share:
 * - klog's header (`W1205 17:05:25.738812   11529 helpers.go:703] `): its date, time and process id are masked, the
 *   severity and the source position are compared;
 * - `kubectl version`: the lab's kubectl is v1.30.0, the client minikube v1.33.1 installs for Kubernetes v1.30.0
 *   (`minikube kubectl`), while the oracle is v1.30.13. The build identity of the release (patch number, commit,
 *   build date, Go version) is masked on both sides; everything else (layout, key order, the Kustomize version,
 *   major/minor, platform) is compared as it is.
 */
export function normalize(line: string, outcome: Outcome): Outcome {
  const version = splitWords(line).includes('version');
  const mask = (text: string) => {
    let masked = text.replace(
      /^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm,
      '$1<mmdd hh:mm:ss.micros> <pid> ',
    );
    if (version)
      masked = masked
        .replace(/\bv1\.30\.\d+\b/g, 'v1.30.<patch>')
        .replace(/("?gitCommit"?: "?)[0-9a-f]{40}/g, '$1<commit>')
        .replace(/("?buildDate"?: "?)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '$1<date>')
        .replace(/("?goVersion"?: "?)go1\.\d+(\.\d+)?/g, '$1<go>');
    return masked;
  };
  return { ...outcome, stdout: mask(outcome.stdout), stderr: mask(outcome.stderr) };
}

/** Whether kubectl tried to reach the sandbox's server (https://127.0.0.1:1) to answer. */
export function neededServer(outcome: Outcome): boolean {
  return outcome.stderr.includes('127.0.0.1:1') || outcome.stdout.includes('127.0.0.1:1');
}

/** The line that shows whether a command takes the hidden `--record` flag. */
export function recordProbe(path: string): string {
  return `kubectl ${path} --record --help`;
}

/** A readable rendering for Jest's line diff: exit code, then each stream with visible ends. */
export function render(outcome: Outcome): string {
  const stream = (name: string, text: string) => {
    if (text === '') return `--- ${name}: (empty)`;
    const body = text.endsWith('\n') ? text.slice(0, -1) : `${text}\n\\ no newline at the end`;
    return `--- ${name}:\n${body.replace(/[ \t]+$/gm, (blanks) => blanks.replace(/ /g, '·').replace(/\t/g, '→'))}`;
  };
  return [
    `exit code ${outcome.code}`,
    stream('stdout', outcome.stdout),
    stream('stderr', outcome.stderr),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Remembering the oracle's answers
// ---------------------------------------------------------------------------------------------------------------

/**
 * The oracle's answers are kept in .tmp/oracle/ (not committed), in a file named after the SHA-256 of the binary and
 * of this sandbox's set-up (its version and the manifests it holds), so a changed binary, kubeconfig or manifest is
 * asked again. kubectl takes about 0.1 s a line; a remembered answer is what the same binary printed for the same
 * line. ORACLE_CACHE=0 asks the binary every time.
 */
const CACHE_DIR = path.resolve(__dirname, '..', '..', '.tmp', 'oracle');
const SANDBOX_VERSION = '2';

function cacheFile(name: string): string | undefined {
  if (process.env.ORACLE_CACHE === '0') return undefined;
  const hash = createHash('sha256')
    .update(fs.readFileSync(ORACLE_BINARY))
    .update(SANDBOX_VERSION)
    .update(JSON.stringify(EXAMPLE_MANIFESTS))
    .digest('hex');
  return path.join(CACHE_DIR, `${name}-${hash.slice(0, 16)}.json`);
}

function loadCache(file: string | undefined): Map<string, Outcome> {
  if (!file || !fs.existsSync(file)) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Outcome>));
  } catch {
    return new Map();
  }
}

async function saveCache(file: string | undefined, answers: Map<string, Promise<Outcome>>): Promise<void> {
  if (!file) return;
  const settled: Record<string, Outcome> = {};
  for (const [line, answer] of answers) {
    const outcome = await answer.catch(() => undefined);
    if (outcome) settled[line] = outcome;
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify(settled));
  fs.renameSync(temporary, file);
}

/**
 * Registers Jest hooks that ask the oracle about `lines` (a few at a time, remembered under `name`) when the suite
 * starts; `answer(line)` is the oracle's outcome for one of them.
 */
export function useOracle(name: string, lines: readonly string[]): (line: string) => Promise<Outcome> {
  let sandbox: OracleSandbox | undefined;
  let oracle: Map<string, Promise<Outcome>> | undefined;
  const cache = cacheFile(name);

  beforeAll(() => {
    requireOracle();
    const known = loadCache(cache);
    sandbox = new OracleSandbox();
    oracle = runAll(
      sandbox,
      lines.filter((line) => !known.has(line)),
    );
    for (const line of lines) {
      const answer = known.get(line);
      if (answer) oracle.set(line, Promise.resolve(answer));
    }
  });

  afterAll(async () => {
    if (oracle) await saveCache(cache, oracle);
    sandbox?.dispose();
  });

  return (line) => {
    const answer = oracle?.get(line);
    if (!answer) throw new Error(`the oracle was not asked about: ${line}`);
    return answer;
  };
}

/**
 * Declares one Jest test per corpus line (`it.each`): the engine's stdout, stderr and exit code must equal the
 * oracle's byte for byte.
 */
export function describeCorpus(title: string, file: string): void {
  const lines = readCorpus(file);
  describe(title, () => {
    const answer = useOracle(path.basename(file, path.extname(file)), lines);

    it('has lines, each once', () => {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line, i) => lines.indexOf(line) !== i)).toEqual([]);
    });

    it.each(lines)('%s', async (line) => {
      const expected = normalize(line, await answer(line));
      if (neededServer(expected))
        throw new Error('kubectl needed a server to answer this line: it does not belong in this corpus');
      const actual = normalize(line, await runEngine(line));
      expect(render(actual)).toBe(render(expected));
    });
  });
}
