/**
 * What a container's process does over (virtual) time: the lines it writes, when it exits and with what code. A
 * small interpreter for the programs course pods run (busybox's `sh -c` with `;` `&&` `||`, `while`/`until`/`for`
 * loops, echo, printf, sleep, date, exit, true, false, env, printenv, hostname, touch, rm; perl's `bpi` one-liner;
 * the stress memory hog), deterministic from the container's argv, environment and memory limit, so nothing is
 * stored.
 */
import { lookupImage } from './images';
import { piDigits } from './pi';

export interface ProgramLine {
  /** ms after the process started. */
  at: number;
  text: string;
}

export interface ProgramRun {
  lines: ProgramLine[];
  /** ms after start when the process ends; undefined: it runs until stopped. */
  exitAfter?: number;
  exitCode: number;
  /** Terminated reason when it is not Completed/Error (OOMKilled, ContainerCannotRun). */
  reason?: string;
  /** The runtime's message when the program could not be started at all. */
  startError?: string;
  /** Files the program created (`touch`) or removed (`rm`), in order (what an exec probe's `cat` sees). */
  files?: FileChange[];
}

export interface FileChange {
  /** ms after start. */
  at: number;
  path: string;
  exists: boolean;
}

export interface ProgramInput {
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  /** Memory limit in bytes, if any. */
  memoryLimit?: number;
  hostname: string;
  /** Epoch ms the process started (for `date`). */
  startedAt: number;
  /** Simulate at most this long (ms); lines after it are not produced. */
  horizon: number;
  /** The container keeps stdin open (`stdin: true`): a shell reading it waits for input instead of ending. */
  stdin?: boolean;
}

const MAX_LINES = 2000;
/** Add-on and walkthrough images whose entrypoint is their own server (issue 17). */
const OWN_ENTRYPOINT = new Set<string>([
  'metrics-server',
  'dashboard',
  'metrics-scraper',
  'hpa-example',
  'ingress-nginx',
]);
const MAX_STEPS = 20_000;
const FOREVER: ProgramRun = { lines: [], exitCode: 0 };

/** The process argv: command + args, or the image's entrypoint/cmd where the spec leaves them out. */
export function containerArgv(image: string, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  const app = lookupImage(image)?.app;
  if (app === 'perl') return args?.length ? args : ['perl', '-de0'];
  if (app === 'stress') return ['stress', ...(args ?? [])];
  if (args && args.length > 0) return args;
  if (app === 'busybox' || app === 'alpine') return ['sh'];
  return [];
}

export function runProgram(input: ProgramInput): ProgramRun {
  const app = lookupImage(input.image)?.app;
  const argv = containerArgv(input.image, input.command, input.args);
  if (argv.length === 0) return FOREVER; // the image's own server (bootcamp, nginx, system images)
  if (app === 'system') return FOREVER; // control-plane images run their own binary (kube-proxy's DaemonSet pods)
  // Images with their own server binary as entrypoint: `args` are its flags (metrics-server's --cert-dir=/tmp).
  if (app && OWN_ENTRYPOINT.has(app) && !input.command?.length) return FOREVER;
  if (app === 'webhook-certgen' && !input.command?.length) return certgen(argv);
  // A lone shell with stdin open (`kubectl run -it ... -- sh`) waits for its terminal until someone attaches.
  if (input.stdin && argv.length === 1 && /(^|\/)(sh|ash|bash)$/.test(argv[0])) return FOREVER;
  const sim = new Sim(input, app);
  sim.exec(argv);
  return sim.result();
}

/**
 * kube-webhook-certgen's `create` (makes the admission webhook's certificate Secret) and `patch` (writes its CA
 * into the webhook configuration): a couple of log lines, done within a few seconds, exit 0.
 */
function certgen(argv: string[]): ProgramRun {
  const secret = argv.find((a) => a.startsWith('--secret-name='))?.slice('--secret-name='.length) ?? '';
  const namespace = argv.find((a) => a.startsWith('--namespace='))?.slice('--namespace='.length) ?? '';
  const level = (at: number, msg: string) => ({
    at,
    text: `{"level":"info","msg":"${msg}","source":"k8s/k8s.go:${argv[0] === 'patch' ? 119 : 68}"}`,
  });
  const lines =
    argv[0] === 'patch'
      ? [
          level(
            1200,
            "patching webhook configurations 'ingress-nginx-admission' mutating=false, validating=true, failurePolicy=Fail",
          ),
          level(1900, 'Patched hook(s)'),
        ]
      : [level(1100, `creating new secret`), level(1800, `saved secret ${namespace}/${secret}`)];
  return { lines, exitAfter: 2500, exitCode: 0 };
}

class ExitSignal {
  constructor(readonly code: number) {}
}

class Sim {
  t = 0;
  lines: ProgramLine[] = [];
  steps = 0;
  forever = false;
  outcome?: Partial<ProgramRun>;
  status = 0;
  files: FileChange[] = [];
  /** The paths that exist now (of those the program made). */
  present = new Set<string>();

  constructor(
    private readonly input: ProgramInput,
    private readonly app: string | undefined,
  ) {}

  result(): ProgramRun {
    const files = this.files.length ? { files: this.files } : {};
    if (this.outcome) return { lines: this.lines, exitCode: 0, ...files, ...this.outcome };
    // Still running at the horizon: as far as anyone can tell, it runs on.
    if (this.forever || this.t > this.input.horizon) return { lines: this.lines, exitCode: 0, ...files };
    return { lines: this.lines, exitAfter: this.t, exitCode: this.status, ...files };
  }

  /** `touch` and `rm` of absolute paths; only the files the program itself made are known to exist. */
  private fileCommand(name: 'touch' | 'rm', args: string[]): number {
    const force = name === 'rm' && args.some((a) => /^-\w*f/.test(a));
    let status = 0;
    for (const path of args.filter((a) => !a.startsWith('-'))) {
      if (this.t > this.input.horizon) break;
      if (name === 'rm' && !this.present.has(path) && !force) {
        this.out(`rm: can't remove '${path}': No such file or directory`);
        status = 1;
        continue;
      }
      if (name === 'touch') this.present.add(path);
      else this.present.delete(path);
      this.files.push({ at: this.t, path, exists: name === 'touch' });
    }
    return status;
  }

  private out(text: string): void {
    if (this.t > this.input.horizon) return;
    for (const line of text.replace(/\n$/, '').split('\n')) {
      if (this.lines.length >= MAX_LINES) this.lines.shift();
      this.lines.push({ at: this.t, text: line });
    }
  }

  /** Runs argv as a process; sets this.outcome when the whole container ends in a special way. */
  exec(argv: string[]): void {
    try {
      this.status = this.command(argv);
    } catch (signal) {
      if (!(signal instanceof ExitSignal)) throw signal;
      this.status = signal.code;
    }
  }

  private stopped(): boolean {
    return this.forever || this.outcome !== undefined || this.t > this.input.horizon;
  }

  private command(argv: string[]): number {
    if (++this.steps > MAX_STEPS) {
      this.forever = true;
      return 0;
    }
    const [program, ...rest] = argv;
    const name = program.slice(program.lastIndexOf('/') + 1);
    switch (name) {
      case 'sh':
      case 'bash':
      case 'ash':
        if (name === 'bash' && this.app === 'busybox') return this.notFound(program);
        if (rest[0] === '-c') return this.script(rest[1] ?? '');
        return 0; // no terminal: the shell reads EOF and ends
      case 'echo': {
        let words = rest;
        let newline = true;
        if (words[0] === '-n') {
          newline = false;
          words = words.slice(1);
        }
        const text = words.join(' ');
        if (newline || text) this.out(text);
        return 0;
      }
      case 'printf':
        this.out((rest[0] ?? '').replace(/\\n/g, '\n').replace(/%s/g, () => rest[1] ?? ''));
        return 0;
      case 'sleep': {
        const seconds = parseSleep(rest[0]);
        if (seconds === undefined) {
          this.out(`sleep: invalid number '${rest[0] ?? ''}'`);
          return 1;
        }
        if (!Number.isFinite(seconds)) this.forever = true;
        else this.t += Math.round(seconds * 1000);
        return 0;
      }
      case 'date':
        this.out(busyboxDate(this.input.startedAt + this.t));
        return 0;
      case 'exit':
        throw new ExitSignal(Number.parseInt(rest[0] ?? `${this.status}`, 10) & 255 || 0);
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'env':
      case 'printenv':
        if (rest.length > 0) {
          const value = this.input.env[rest[0]];
          if (value !== undefined) this.out(value);
          return value === undefined ? 1 : 0;
        }
        this.out(
          Object.entries(this.input.env)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
        );
        return 0;
      case 'hostname':
        this.out(this.input.hostname);
        return 0;
      case 'touch':
      case 'rm':
        return this.fileCommand(name, rest);
      case 'perl':
        return this.perl(rest);
      case 'stress':
        return this.stress(rest);
      case 'nginx':
      case 'node':
      case 'tail':
        this.forever = true;
        return 0;
      default:
        return this.notFound(program);
    }
  }

  /** PID 1 not found: the runtime cannot start the container; inside a shell, sh's own message. */
  private notFound(program: string): number {
    if (this.steps === 1) {
      this.outcome = {
        exitAfter: 0,
        exitCode: 127,
        reason: 'ContainerCannotRun',
        startError: `failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
      };
      return 127;
    }
    this.out(`sh: ${program}: not found`);
    return 127;
  }

  private perl(args: string[]): number {
    const code = args.filter((a, i) => i > 0 && /^-\w*e$/.test(args[i - 1] ?? '')).join(';') || '';
    const newline = args.some((a) => /^-\w*l\w*e?$/.test(a) && a.includes('l'));
    const pi = /bpi\((\d+)\)/.exec(code);
    if (pi) {
      this.t += 2_000 + Math.round(Number(pi[1]) * 1.5);
      this.out(piDigits(Number(pi[1])));
      return 0;
    }
    const print = /print\s+(?:"([^"]*)"|'([^']*)')/.exec(code);
    if (print) this.out((print[1] ?? print[2]).replace(/\\n$/, '') + (newline ? '' : ''));
    if (/die\b/.test(code)) return 255;
    const exit = /exit\s*\(?\s*(\d+)/.exec(code);
    return exit ? Number(exit[1]) & 255 : 0;
  }

  /** polinux/stress: `--vm N --vm-bytes SIZE` allocates memory; over the limit the kernel's OOM killer ends it. */
  private stress(args: string[]): number {
    const opt = (name: string) => {
      const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
      if (i < 0) return undefined;
      return args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
    };
    const vm = Number(opt('vm') ?? 0);
    const cpu = Number(opt('cpu') ?? opt('c') ?? 0);
    const bytes = parseSize(opt('vm-bytes') ?? '256M') * Math.max(vm, 0);
    this.out(`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${vm} vm, 0 hdd`);
    const limit = this.input.memoryLimit;
    if (vm > 0 && limit !== undefined && bytes > limit) {
      this.outcome = { exitAfter: this.t + 1_200, exitCode: 137, reason: 'OOMKilled' };
      return 137;
    }
    const timeout = parseSleep(opt('timeout') ?? opt('t') ?? 'inf');
    if (timeout === undefined || !Number.isFinite(timeout)) {
      this.forever = true;
      return 0;
    }
    this.t += timeout * 1000;
    this.out(`stress: info: [1] successful run completed in ${timeout}s`);
    return 0;
  }

  // ---------------------------------------------------------------- sh

  private script(text: string): number {
    const tokens = tokenize(text);
    const list = parseList(tokens, 0, []);
    return this.runList(list.items);
  }

  private runList(items: Item[]): number {
    let status = 0;
    for (const item of items) {
      if (this.stopped()) return status;
      if (item.op === '&&' && status !== 0) continue;
      if (item.op === '||' && status === 0) continue;
      status = this.runNode(item.node);
      this.status = status;
    }
    return status;
  }

  private runNode(node: Node): number {
    if (node.kind === 'simple') {
      const words = node.words.flatMap((w) => this.expand(w));
      if (words.length === 0) return 0;
      const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(words[0]);
      if (assignment && words.length === 1) {
        this.input.env[assignment[1]] = assignment[2];
        return 0;
      }
      return this.command(words);
    }
    if (node.kind === 'loop') {
      let status = 0;
      while (!this.stopped()) {
        const cond = this.runList(node.cond);
        if ((cond === 0) !== node.whileLoop) break;
        const before = this.t;
        status = this.runList(node.body);
        if (this.t === before && ++this.steps > MAX_STEPS) this.forever = true;
      }
      return status;
    }
    let status = 0;
    for (const value of node.values.flatMap((w) => this.expand(w).flatMap((x) => x.split(/\s+/)))) {
      if (this.stopped()) break;
      this.input.env[node.variable] = value;
      status = this.runList(node.body);
    }
    return status;
  }

  /** Parameter expansion of one word ($VAR, ${VAR}, $?, $HOSTNAME); quotes were removed by the tokenizer. */
  private expand(word: Word): string[] {
    if (word.quoted === 'single') return [word.text];
    const text = word.text.replace(/\$(?:\{(\w+)\}|(\w+)|(\?))/g, (_, a, b, c) => {
      if (c) return String(this.status);
      const key = a ?? b;
      if (key === 'HOSTNAME') return this.input.env.HOSTNAME ?? this.input.hostname;
      return this.input.env[key] ?? '';
    });
    if (word.quoted === 'double') return [text];
    return text.split(/\s+/).filter(Boolean);
  }
}

// ---------------------------------------------------------------- sh parsing

interface Word {
  text: string;
  quoted?: 'single' | 'double';
}
type Token = Word | { op: string };
type Node =
  | { kind: 'simple'; words: Word[] }
  | { kind: 'loop'; whileLoop: boolean; cond: Item[]; body: Item[] }
  | { kind: 'for'; variable: string; values: Word[]; body: Item[] };
interface Item {
  op?: '&&' | '||';
  node: Node;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ op: text.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if (ch === ';' || ch === '\n' || ch === '&' || ch === '|') {
      tokens.push({ op: ch === '\n' || ch === '&' ? ';' : ch });
      i++;
      continue;
    }
    let word = '';
    let quoted: Word['quoted'];
    while (i < text.length && !' \t\n;&|'.includes(text[i])) {
      const c = text[i];
      if (c === "'" || c === '"') {
        const end = text.indexOf(c, i + 1);
        const close = end < 0 ? text.length : end;
        word += text.slice(i + 1, close);
        quoted = c === "'" ? 'single' : 'double';
        i = close + 1;
      } else if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    tokens.push({ text: word, quoted });
  }
  return tokens;
}

const isWord = (t: Token | undefined, text?: string): t is Word =>
  t !== undefined && 'text' in t && (text === undefined || (t.text === text && !t.quoted));

/** Parses a command list up to one of the `stop` keywords; returns the items and the next index. */
function parseList(tokens: Token[], start: number, stop: string[]): { items: Item[]; next: number } {
  const items: Item[] = [];
  let i = start;
  let op: Item['op'];
  while (i < tokens.length) {
    const t = tokens[i];
    if (!isWord(t)) {
      op = t.op === '&&' || t.op === '||' ? t.op : undefined;
      i++;
      continue;
    }
    if (!t.quoted && stop.includes(t.text)) break;
    if (isWord(t, 'while') || isWord(t, 'until')) {
      const cond = parseList(tokens, i + 1, ['do']);
      const body = parseList(tokens, cond.next + 1, ['done']);
      items.push({
        op,
        node: { kind: 'loop', whileLoop: t.text === 'while', cond: cond.items, body: body.items },
      });
      i = body.next + 1;
    } else if (isWord(t, 'for')) {
      const variable = (tokens[i + 1] as Word | undefined)?.text ?? 'i';
      const values: Word[] = [];
      let j = i + 2;
      if (isWord(tokens[j], 'in')) j++;
      while (j < tokens.length && isWord(tokens[j]) && !isWord(tokens[j], 'do'))
        values.push(tokens[j++] as Word);
      while (j < tokens.length && !isWord(tokens[j], 'do')) j++;
      const body = parseList(tokens, j + 1, ['done']);
      items.push({ op, node: { kind: 'for', variable, values, body: body.items } });
      i = body.next + 1;
    } else {
      const words: Word[] = [];
      while (i < tokens.length && isWord(tokens[i])) {
        const w = tokens[i] as Word;
        if (!w.quoted && stop.includes(w.text) && words.length === 0) break;
        words.push(w);
        i++;
      }
      items.push({ op, node: { kind: 'simple', words } });
    }
    op = undefined;
  }
  return { items, next: i };
}

// ---------------------------------------------------------------- helpers

export function parseSleep(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'inf' || text === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
}

/** `150M`, `1G`, `512k`, `100Mi`, plain bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmMgGtT]?)(i?[bB]?)$/.exec(text.trim());
  if (!m) return 0;
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2].toLowerCase()] ?? 0;
  return Math.round(Number(m[1]) * 1024 ** power);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** busybox `date`: `Mon Jun  3 02:15:42 UTC 2024`. */
export function busyboxDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTH_NAMES[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
