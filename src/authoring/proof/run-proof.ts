/**
 * Runs a lab's self-test in a worker thread with a time limit: each step's outcome is passed on as it
 * arrives, and a self-test still running at the limit is terminated with a message saying so. The
 * thread also has a memory ceiling, so a lab that builds something huge fails its proof instead of the
 * worker process.
 */
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Lab } from '../../labs';
import type { ProofStep } from '../../shared/authoring-api';
import type { ThreadMessage } from './proof-messages';

/** The bound: a self-test past a minute is stopped. */
export const PROOF_TIMEOUT_MS = 60_000;
const THREAD_MEMORY_MB = 512;

export interface ProofOutcome {
  state: 'passed' | 'failed';
  message?: string;
}

export interface RunProofOptions {
  timeoutMs?: number;
  onStep?: (step: ProofStep) => void;
}

export function runProof(lab: Lab, options: RunProofOptions = {}): Promise<ProofOutcome> {
  const timeoutMs = options.timeoutMs ?? PROOF_TIMEOUT_MS;
  const total = lab.steps.length;
  const worker = new Worker(threadFile(), {
    workerData: { lab },
    resourceLimits: { maxOldGenerationSizeMb: THREAD_MEMORY_MB },
    ...sourceExecArgv(),
  });
  return new Promise<ProofOutcome>((settle) => {
    let settled = false;
    let index = 0;
    const finish = (outcome: ProofOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      settle(outcome);
    };
    const timer = setTimeout(
      () =>
        finish({
          state: 'failed',
          message: `The self-test ran past ${Math.round(timeoutMs / 1000)} s and was stopped (after ${index} of ${total} steps). Make its solutions quicker or split the lab.`,
        }),
      timeoutMs,
    );
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'step') {
        options.onStep?.({
          id: message.stepId,
          index: index++,
          total,
          outcome: message.ok ? 'passed' : 'failed',
          ...(message.message ? { message: message.message } : {}),
        });
      } else if (message.type === 'done') {
        finish(
          message.ok
            ? { state: 'passed' }
            : { state: 'failed', message: 'Some steps failed their self-test (see each step).' },
        );
      } else {
        finish({ state: 'failed', message: `The self-test could not run: ${message.message}` });
      }
    });
    worker.on('error', (error) =>
      finish({ state: 'failed', message: `The self-test stopped with an error: ${error.message}` }),
    );
    worker.on('exit', (code) =>
      finish({ state: 'failed', message: `The self-test stopped early (exit code ${code}).` }),
    );
  });
}

/** The thread's entry beside this file: .js once built, .ts when run from source. */
function threadFile(): string {
  return join(__dirname, `prove-thread${extname(__filename) || '.js'}`);
}

/**
 * From source the thread needs the TypeScript loader. A process started with it (`-r swc-register`)
 * passes it on to threads by itself; a test runner's process does not, so it is named here.
 */
function sourceExecArgv(): { execArgv?: string[] } {
  if (extname(__filename) !== '.ts') return {};
  return { execArgv: ['-r', resolve(__dirname, '../../../scripts/swc-register.cjs')] };
}
