/**
 * The lab terminal's file commands against real bash and GNU coreutils: each case runs its lines in a fresh
 * temporary directory with `bash -c` (C locale) and in a fresh LabTerminal with an empty home, and compares every
 * line's stdout, stderr and exit status. bash -c names the line in its own messages (`bash: line 1: cd: ...`), which
 * an interactive bash does not: that prefix is the only normalisation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';
import { HomeDirectory } from '../../src/engine/terminal/home/home-directory';

interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
const cluster = createCluster({ seed: 7, clock });

/** Lines that only make test data (the lab terminal has no printf or seq): their file is copied into the home. */
const SETUP = /^(?:seq|printf) .* > (\S+)$/;

function bash(lines: string[]): { outcomes: Outcome[]; made: Map<number, [string, string]> } {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-home-'));
  const made = new Map<number, [string, string]>();
  try {
    const outcomes = lines.map((line, index) => {
      const result = spawnSync('bash', ['-c', line], {
        cwd: dir,
        env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', HOME: dir },
        encoding: 'utf8',
      });
      const setup = SETUP.exec(line);
      if (setup) made.set(index, [setup[1], readFileSync(join(dir, setup[1]), 'utf8')]);
      return {
        stdout: result.stdout,
        stderr: result.stderr.replace(/^bash: line 1: /gm, 'bash: '),
        code: result.status ?? -1,
      };
    });
    return { outcomes, made };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function lab(lines: string[], made: Map<number, [string, string]>): Promise<Outcome[]> {
  const home = new HomeDirectory(() => clock.now());
  const terminal = new LabTerminal(cluster, { home });
  const outcomes: Outcome[] = [];
  for (const [index, line] of lines.entries()) {
    const outcome = { stdout: '', stderr: '', code: 0 };
    const file = made.get(index);
    if (file) home.writeFile(file[0], file[1]);
    else
      outcome.code = await terminal.run(line, {
        stdout: (c) => (outcome.stdout += c),
        stderr: (c) => (outcome.stderr += c),
        // bash -c's stdout is a pipe: ls prints one name per line there.
        tty: false,
      });
    outcomes.push(outcome);
  }
  return outcomes;
}

const haveCoreutils = (() => {
  try {
    return execFileSync('ls', ['--version'], { encoding: 'utf8' }).includes('GNU coreutils');
  } catch {
    return false;
  }
})();

const CASES: Record<string, string[]> = {
  'cat of missing files, folders and paths through a file': [
    'echo hello > f',
    'mkdir d',
    'cat f',
    'cat nope',
    'cat d',
    'cat f/',
    'cat f/x',
    'cat nope/x',
    'cat f nope f',
  ],
  'mkdir with and without -p': [
    'mkdir d',
    'mkdir d',
    'mkdir a/b',
    'mkdir',
    'mkdir -p a/b/c',
    'ls -R',
    'echo x > f',
    'mkdir f',
    'mkdir -p f/x',
    'mkdir -p a/f',
    'mkdir -z',
  ],
  'rm of files, folders, missing files and . ..': [
    'mkdir -p d/e',
    'echo x > d/e/f',
    'echo y > g',
    'rm d',
    'rm nope',
    'rm -f nope',
    'rm -r nope',
    'rm',
    'rm -f',
    'rm -x g',
    'rm -r .',
    'rm -rf d/..',
    'rm -d d',
    'rm g',
    'rm -r d',
    'ls',
  ],
  'mv and cp between files and folders': [
    'echo one > f',
    'mkdir d',
    'mkdir -p d/f',
    'mv f d',
    'mv nope x',
    'mv f',
    'mv',
    'mv f f',
    'mv f nope/x',
    'cp nope x',
    'cp d x',
    'cp',
    'cp f',
    'cp f f',
    'cp f nope/x',
    'cp f g',
    'cat g',
    'mkdir e',
    'cp f g e',
    'ls e',
    'mv g h',
    'ls',
    'mv f g h',
    'mv f h nope',
    'cp -r e e2',
    'ls e2',
    'mv e e2',
    'mv e2 e2/x',
    'mv h ./',
    'mv d h',
    'ls -R',
    // Real cp leaves a partial copy inside e2 here; the lab copies nothing (nothing half-written): e2 goes after it.
    'cp -r e2 e2/x',
    'rm -r e2',
    'ls -R',
  ],
  'ls of files, folders and hidden names': [
    'mkdir -p d/e .hidden',
    'touch d/x f .dot',
    'ls',
    'ls -a',
    'ls -A',
    'ls -1 d',
    'ls -d d',
    'ls d f',
    'ls f d nope',
    'ls -R d',
    'ls d/',
    'ls f/',
    'ls --bogus',
    'ls -y',
  ],
  'touch, pwd and cd': [
    'touch',
    'touch a b',
    'touch nope/x',
    'ls',
    'pwd -z',
    'mkdir -p sub/deeper',
    'cd nope',
    'cd a',
    'cd sub extra',
    'cd -z',
  ],
  'head, tail, wc and grep on files': [
    "printf 'a\\nb\\nc\\n' > abc",
    'echo hello > f',
    'seq 1 30 > nums',
    'mkdir d',
    'head nums',
    'head -n 2 abc f',
    'tail -3 nums',
    'tail -n +28 nums',
    'tail f nope',
    'head -n1 nope f',
    'head d',
    'tail d',
    'head nope',
    'wc abc',
    'wc -l abc f',
    'wc abc nums f',
    'wc -l nope f',
    'wc nope',
    'grep b abc',
    'grep -n l abc f',
    'grep -c 1 nums abc',
    'grep hello f nope',
    'grep -q hello nope f',
    'grep x nope',
    'grep zzz abc',
  ],
  'diff in normal and unified format': [
    "printf 'x\\ny\\nz\\n' > c",
    "printf 'x\\nY\\nz\\nw\\n' > e",
    'echo a > a',
    'diff c e',
    'diff c c',
    'diff a nope',
    'diff',
    'diff a',
    'diff a b c',
    'diff -z a b',
    "printf 'x\\ny' > nonl",
    "printf 'x\\nz' > nonl2",
    'diff nonl nonl2',
    'seq 1 20 > s1',
    "seq 1 20 | sed -e 's/^3$/three/' -e 's/^17$/x/' > s2",
    'diff s1 s2',
  ],
  'echo and output redirection': [
    'echo first > out',
    'echo second >> out',
    'cat out',
    'echo again > out',
    'cat out',
    'mkdir d',
    'echo x > d',
    'echo x > nope/x',
    'echo x > out/',
    'echo x > new/',
    'cat nope > empty',
    'ls',
    'wc -c empty',
    'cat out >> appended',
    'cat appended',
    'cat <<EOF > here.yaml\nname: $UNSET_VARIABLE\nkind: Pod\nEOF',
    "cat <<'EOF' >> here.yaml\nliteral: $HOME\nEOF",
    'cat here.yaml',
    'grep -c : here.yaml >> counts',
    'cat counts',
  ],
};

(haveCoreutils ? describe : describe.skip)('file commands compared with bash and coreutils', () => {
  it.each(Object.entries(CASES))('%s', async (_, lines) => {
    const { outcomes: real, made } = bash(lines);
    const ours = await lab(lines, made);
    lines.forEach((line, i) => expect({ line, ...ours[i] }).toEqual({ line, ...real[i] }));
  });
});
