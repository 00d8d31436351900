/**
 * `npm run --silent lab -- validate [PATH]` loads and validates labs;
 * `npm run --silent lab -- test [PATH] [--verbose] [--seed N]` replays their reference solutions.
 * PATH is a lab folder (labs/<id>) or a folder of labs (default: labs). Exit codes: 0 all good, 1 a lab is
 * invalid or its test failed, 2 the command line is wrong.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_FILE, loadLabFile, loadLabs } from '../loader/loader';
import { LabLoadError } from '../loader/reader';
import { Lab } from '../format/types';
import { LAB_TEST_SEED, testLab } from '../runner/lab-test';
import { formatLabHeader, formatLabSummary, formatStepResult } from '../runner/report';

const USAGE = `usage: lab validate [PATH]
       lab test [PATH] [--verbose] [--seed N]
PATH: a lab folder (labs/<id>) or a folder of labs (default: labs)`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

interface Arguments {
  command: 'validate' | 'test';
  path: string;
  verbose: boolean;
  seed: number;
}

export async function runLabCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    io.err(`error: ${parsed}`);
    io.err(USAGE);
    return 2;
  }
  // `lab test` ends with the time all labs took together, loading included (issue 18's budget is 5 s).
  const started = performance.now();
  let labs: Lab[];
  try {
    labs = loadPath(parsed.path);
  } catch (error) {
    if (!(error instanceof LabLoadError)) throw error;
    for (const line of error.message.split('\n')) io.err(line);
    io.err(`${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} found`);
    return 1;
  }
  if (parsed.command === 'validate') {
    for (const lab of labs) io.out(`✓ ${formatLabHeader(lab)}`);
    return 0;
  }
  let ok = true;
  let passed = 0;
  for (const lab of labs) {
    io.out(formatLabHeader(lab));
    const result = await testLab(lab, {
      seed: parsed.seed,
      onStep: (step) =>
        formatStepResult(lab, step, { verbose: parsed.verbose }).forEach((line) => io.out(line)),
    });
    io.out(formatLabSummary(lab, result));
    ok &&= result.ok;
    if (result.ok) passed++;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  io.out(`total: ${passed}/${labs.length} labs passed in ${seconds} s (loading included)`);
  return ok ? 0 : 1;
}

function parseArguments(argv: string[]): Arguments | string {
  const [command, ...rest] = argv;
  if (command !== 'validate' && command !== 'test') {
    return command === undefined ? 'a command is required' : `unknown command "${command}"`;
  }
  const result: Arguments = { command, path: 'labs', verbose: false, seed: LAB_TEST_SEED };
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--verbose' || arg === '-v') result.verbose = true;
    else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const value = arg === '--seed' ? rest[++i] : arg.slice('--seed='.length);
      if (value === undefined || !/^\d+$/.test(value)) return `--seed needs a non-negative integer`;
      result.seed = Number(value);
    } else if (arg.startsWith('-')) return `unknown flag "${arg}"`;
    else paths.push(arg);
  }
  if (paths.length > 1) return 'at most one PATH';
  if (command === 'validate' && (result.verbose || result.seed !== LAB_TEST_SEED)) {
    return 'validate takes no --verbose or --seed';
  }
  result.path = paths[0] ?? 'labs';
  return result;
}

function loadPath(path: string): Lab[] {
  const single = path.endsWith(LAB_FILE) ? path : join(path, LAB_FILE);
  return existsSync(single) ? [loadLabFile(single)] : loadLabs(path);
}

/**
 * A reader that went away (`lab test | head -3`) ends the program quietly with exit code 0, as unix tools do:
 * without this, the next write raises EPIPE as an unhandled 'error' event and Node prints a stack trace.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WritableStream, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    exit(0);
  });
}

if (require.main === module) {
  endQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
  endQuietlyOnClosedPipe(process.stderr, (code) => process.exit(code));
  runLabCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `lab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
