import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadLabFile, loadLabs } from '../../src/labs';
import { testLab } from '../../src/labs/runner/lab-test';

const ROOT = join(__dirname, '../..');
const LABS = join(ROOT, 'labs');
const FLAWED = join(__dirname, 'runnable/flawed/lab.yaml');

/** What went wrong in a lab test, in words, so a failing expectation shows the reasons. */
function problemsIn(result: Awaited<ReturnType<typeof testLab>>): string[] {
  return result.steps.flatMap((step) => [
    ...step.problems.map(
      (problem) =>
        `${step.stepId} check ${problem.checkIndex + 1} ${problem.when}: ${problem.verdict.reason.en}`,
    ),
    ...step.solutionErrors.map((error) => `${step.stepId} solution: ${error}`),
  ]);
}

describe('lab test over every lab in labs/', () => {
  const labs = loadLabs(LABS);

  it.each(labs.map((lab) => [lab.id, lab] as const))(
    '%s: each step fails before its solution and passes after it',
    async (_id, lab) => {
      const result = await testLab(lab);
      expect(problemsIn(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.steps.map((step) => step.stepId)).toEqual(lab.steps.map((step) => step.id));
      for (const step of result.steps) {
        expect(step.before.checks.every((check) => !check.passed)).toBe(true);
        expect(step.after.passed).toBe(true);
      }
    },
  );

  it('passes whatever names, IPs and ports the seed draws', async () => {
    const lab = loadLabFile(join(LABS, 'lec7-k8s-basics/lab.yaml'));
    for (let seed = 1; seed <= 20; seed++) {
      const result = await testLab(lab, { seed });
      expect({ seed, problems: problemsIn(result) }).toEqual({ seed, problems: [] });
    }
  });

  it('replays a lab identically with the same seed', async () => {
    const lab = loadLabFile(join(LABS, 'lec7-k8s-basics/lab.yaml'));
    const transcript = async () => (await testLab(lab)).steps.flatMap((step) => step.commands);
    expect(await transcript()).toEqual(await transcript());
  });
});

describe('lab test on a lab whose checks grade nothing', () => {
  it('names the check that passes before its solution and the one that fails after it', async () => {
    const result = await testLab(loadLabFile(FLAWED));
    expect(result.ok).toBe(false);
    const [create, scale] = result.steps;
    expect(create.problems.map((problem) => [problem.checkIndex, problem.when])).toEqual([[0, 'before']]);
    expect(scale.problems.map((problem) => [problem.checkIndex, problem.when])).toEqual([[0, 'after']]);
    expect(scale.problems[0].verdict.reason.en).toBe(
      'Deployment web in namespace default: expected exactly 1 with .spec.replicas equal to 5, found 0 of 1 (web: .spec.replicas is 4).',
    );
  });
});

describe('the lab CLI', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', './scripts/swc-register.cjs', 'src/labs/cli/lab.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  it('exits 0 when every lab passes, with a line per step', () => {
    const run = cli('test');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('  ✓ inspect-cluster');
    expect(run.stdout).toMatch(/^PASS lec7-k8s-basics: 10\/10 steps/m);
  });

  it('exits 1 naming the step and check that are wrong', () => {
    const run = cli('test', 'test/labs/runnable/flawed');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'step "create" check 1 "A node exists" already passes BEFORE the solution ran (it grades nothing)',
    );
    expect(run.stdout).toContain('step "scale" check 1 "Five replicas" still fails AFTER the solution ran');
    expect(run.stdout).toMatch(/^FAIL flawed: 0\/2 steps/m);
    expect(run.stdout).toMatch(/^total: 0\/1 labs passed in \d+\.\d\d s \(loading included\)$/m);
  });

  it('exits 1 with the precise message for an invalid lab and 2 for a bad command line', () => {
    const invalid = cli('validate', 'test/labs/fixtures/broken');
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain(
      'test/labs/fixtures/broken/lab.yaml: step "scale" checks[1].count: expected a non-negative integer (line 14)',
    );
    const usage = cli('grade');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('error: unknown command "grade"');
  });
});
