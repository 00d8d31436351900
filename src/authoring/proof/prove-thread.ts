/**
 * A worker thread that runs one lab's self-test (`lab test`) and reports each step as it finishes. It
 * runs off the worker's event loop so that a self-test which runs too long can be stopped
 * (Worker.terminate interrupts even a busy loop) while the worker goes on serving other jobs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Lab } from '../../labs';
import { testLab } from '../../labs/runner/lab-test';
import { formatStepResult } from '../../labs/runner/report';
import type { ThreadMessage } from './proof-messages';

const MESSAGE_MAX_CHARS = 4000;

async function main(): Promise<void> {
  const lab = (workerData as { lab: Lab }).lab;
  const post = (message: ThreadMessage) => parentPort?.postMessage(message);
  try {
    const result = await testLab(lab, {
      onStep: (step) => {
        const details = formatStepResult(lab, step)
          .slice(1)
          .map((line) => line.trim())
          .join('\n');
        post({
          type: 'step',
          stepId: step.stepId,
          ok: step.ok,
          ...(step.ok ? {} : { message: details.slice(0, MESSAGE_MAX_CHARS) }),
        });
      },
    });
    post({ type: 'done', ok: result.ok });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
