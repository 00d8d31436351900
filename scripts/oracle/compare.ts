/**
 * Runs command lines through the lab terminal and through the kubectl v1.30 oracle and shows where they differ.
 *
 *   node -r ./scripts/swc-register.cjs scripts/oracle/compare.ts test/oracle/corpus/today.lines
 *   node -r ./scripts/swc-register.cjs scripts/oracle/compare.ts 'kubectl create deployment x --image=nginx -o json'
 *   ... --oracle 'kubectl ...'   prints only what the oracle answers
 *
 * Exit code 1 when a line differs.
 */
import * as fs from 'node:fs';
import {
  neededServer,
  normalize,
  OracleSandbox,
  readCorpus,
  render,
  runAll,
  runEngine,
} from '../../test/oracle/oracle';

async function main(): Promise<number> {
  let args = process.argv.slice(2);
  const oracleOnly = args[0] === '--oracle';
  if (oracleOnly) args = args.slice(1);
  const lines = args.flatMap((arg) => (fs.existsSync(arg) ? readCorpus(arg) : [arg]));
  const sandbox = new OracleSandbox();
  try {
    const oracle = runAll(sandbox, lines);
    let failed = 0;
    for (const line of lines) {
      const expected = normalize(
        line,
        await (oracle.get(line) as Promise<Awaited<ReturnType<typeof runEngine>>>),
      );
      if (oracleOnly) {
        process.stdout.write(`=== ${line}\n${render(expected)}\n`);
        continue;
      }
      if (neededServer(expected)) {
        failed++;
        process.stdout.write(`\n=== NEEDS A SERVER ${line}\n`);
        continue;
      }
      const actual = normalize(line, await runEngine(line));
      if (render(actual) === render(expected)) continue;
      failed++;
      process.stdout.write(
        `\n=== FAIL ${line}\n--- oracle\n${render(expected)}\n--- engine\n${render(actual)}\n`,
      );
    }
    if (!oracleOnly) process.stdout.write(`\n${lines.length - failed} of ${lines.length} lines match\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    sandbox.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
