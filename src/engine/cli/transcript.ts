/**
 * `npm run --silent engine -- FILE [--json]`: runs a lab transcript against a fresh embedded cluster (fixed seed,
 * virtual clock) and prints each command with its output, or one JSON object per command with --json.
 * `npm run --silent engine -- serve ...` serves a cluster's Kubernetes API instead (see serve.ts).
 */
import { readFileSync } from 'node:fs';
import { serve } from './serve';
import { formatPlain, runTranscript } from './transcript-runner';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'serve') return serve(argv.slice(1));
  const json = argv.includes('--json');
  const files = argv.filter((a) => a !== '--json');
  if (files.length !== 1 || files[0].startsWith('-')) {
    process.stderr.write('usage: npm run --silent engine -- FILE [--json]\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(files[0], 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${files[0]}: ${(error as Error).message}\n`);
    return 2;
  }
  await runTranscript(text, {
    onStep: (step) =>
      process.stdout.write(
        json
          ? JSON.stringify({
              command: step.command,
              stdout: step.stdout,
              stderr: step.stderr,
              exitCode: step.exitCode,
            }) + '\n'
          : formatPlain(step),
      ),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
