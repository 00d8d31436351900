import { newLabFiles } from '../bundle/lab-folder';
import { validateLabFiles } from '../validation/validate-lab-files';
import type { ProofStep } from '../../shared/authoring-api';
import { slowLabFiles } from '../testing/slow-lab';
import { runProof } from './run-proof';

function load(labId: string, files: Record<string, string>) {
  const { lab, problems } = validateLabFiles(labId, files);
  if (!lab) throw new Error(JSON.stringify(problems));
  return lab;
}

describe('runProof (a self-test in a worker thread)', () => {
  it('streams each step and passes a lab whose checks fail before and pass after their solutions', async () => {
    const steps: ProofStep[] = [];
    const outcome = await runProof(load('demo', newLabFiles('demo')), { onStep: (step) => steps.push(step) });
    expect(outcome).toEqual({ state: 'passed' });
    expect(steps).toEqual([{ id: 'create-namespace', index: 0, total: 1, outcome: 'passed' }]);
  }, 60_000);

  it('fails a step whose check already passes before its solution, saying why', async () => {
    const files = newLabFiles('demo');
    // The check asks for the default namespace, which exists before the solution runs.
    files['lab.yaml'] = files['lab.yaml'].replace('name: demo }', 'name: default }');
    const steps: ProofStep[] = [];
    const outcome = await runProof(load('demo', files), { onStep: (step) => steps.push(step) });
    expect(outcome.state).toBe('failed');
    expect(steps[0]).toMatchObject({ id: 'create-namespace', outcome: 'failed' });
    expect(steps[0].message).toMatch(/already passes BEFORE the solution ran/);
  }, 60_000);

  it('stops a self-test past its time limit with a clear message, and the next proof still runs', async () => {
    const steps: ProofStep[] = [];
    const outcome = await runProof(load('slow', slowLabFiles('slow', 40)), {
      timeoutMs: 5000,
      onStep: (step) => steps.push(step),
    });
    expect(outcome.state).toBe('failed');
    expect(outcome.message).toMatch(
      new RegExp(`^The self-test ran past 5 s and was stopped \\(after ${steps.length} of 40 steps\\)`),
    );
    expect(steps.length).toBeLessThan(40);
    // The thread was terminated; this process goes on proving.
    expect(await runProof(load('demo', newLabFiles('demo')))).toEqual({ state: 'passed' });
  }, 90_000);
});
