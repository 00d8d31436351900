import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { formatIssue, LabLoadError, loadLabFile, loadLabs } from '../../src/labs';

const FIXTURES = join(__dirname, 'fixtures');
const LABS = join(__dirname, '../../labs');

/** Every message a fixture produces, with the path shown relative to its folder. */
function problemsOf(fixture: string): string[] {
  const folder = join(FIXTURES, fixture);
  try {
    loadLabFile(join(folder, 'lab.yaml'));
  } catch (error) {
    if (!(error instanceof LabLoadError)) throw error;
    return error.issues.map((issue) => formatIssue({ ...issue, file: relative(folder, issue.file) }));
  }
  throw new Error(`${fixture} loaded without problems`);
}

/** Malformed labs and the exact messages they must produce: file, step, field path, problem, line. */
const EXPECTED: Record<string, string[]> = {
  'bad-expressions': [
    'lab.yaml: vars.port.field: bad JSONPath ".spec.ports[0": unterminated array (line 8)',
    'lab.yaml: step "checks" checks[0].where[0].field: bad JSONPath ".status....replicas": invalid multiple recursive descent (line 17)',
    'lab.yaml: step "checks" checks[1].ran.command: bad regex /^kubectl ((/: Unterminated group (line 18)',
    `lab.yaml: step "checks" checks[2].select.labelSelector: bad label selector "app==,": found '', expected: identifier after ',' (line 19)`,
    'lab.yaml: step "checks" checks[3].select.kind: unknown kind "Pods" (did you mean Pod? a kind the cluster serves, spelled as in a manifest: Pod, ConfigMap, Job, Ingress, ...) (line 20)',
    'lab.yaml: step "checks" checks[3].select.labelSelector: bad label selector "app in (a,-b)": invalid label value: "-b" (line 20)',
    'lab.yaml: step "checks" checks[4].where: condition rolloutComplete applies to Deployment, not to Node (line 22)',
    'lab.yaml: step "checks" checks[5].ran.command: unknown variable {{nodePort}} (line 23)',
    'lab.yaml: step "checks" checks[6].ran.example: does not match the command regex /^kubectl\\s+rollout\\s+undo\\s/ (line 24)',
    'lab.yaml: step "checks" solution[1]: bad duration "soon" (e.g. 500ms, 30s, 2m, 1h30m) (line 27)',
  ],
  broken: ['lab.yaml: step "scale" checks[1].count: expected a non-negative integer (line 14)'],
  'duplicate-ids': [
    'lab.yaml: steps[1].id: duplicate step id "scale" (line 12)',
    'lab.yaml: diagnostic "hint" steps[1]: no step with id "deploy" (line 22)',
    'lab.yaml: diagnostics[1].id: duplicate diagnostic id "hint" (line 23)',
  ],
  'folder-mismatch': ['lab.yaml: id: must match the folder name "folder-mismatch" (line 1)'],
  'missing-translations': [
    'lab.yaml: title.en: missing translation (line 2)',
    'lab.yaml: description.file: description.md: missing translation: no non-empty <!-- lang: en --> section (line 3)',
    'lab.yaml: step "first" title.en: expected a non-empty string (line 7)',
    'lab.yaml: step "first" instructions.zh-CN: missing translation (line 8)',
    'lab.yaml: step "first" hints[0].zh-CN: missing translation (line 11)',
    'lab.yaml: step "first" checks[0].label.en: missing translation (line 13)',
  ],
  'prose-errors': [
    'lab.yaml: description.file: description.md: line 1: text before the first <!-- lang: ... --> marker (line 3)',
    'lab.yaml: step "first" instructions.file: steps/first.md: line 4: unknown language "fr" (line 8)',
  ],
  structure: [
    'lab.yaml: id: "Structure_Lab" is not a valid id (lower-case letters, digits and "-") (line 1)',
    'lab.yaml: description.file: expected a relative path to a .md file inside the lab folder (line 3)',
    'lab.yaml: estimatedMinutes: expected an integer >= 1 (line 4)',
    'lab.yaml: vars.fixed: a fixed value cannot contain {{placeholders}} (line 8)',
    'lab.yaml: vars.a: refers to itself through {{placeholders}} (line 6)',
    'lab.yaml: vars.b: refers to itself through {{placeholders}} (line 7)',
    'lab.yaml: step "first" instructions.file: cannot read steps/missing.md: ENOENT (line 12)',
    'lab.yaml: step "first" points: expected an integer >= 1 (line 13)',
    'lab.yaml: step "first" checks: expected at least 1 item (line 14)',
    'lab.yaml: step "first" solution: expected at least 1 item (line 15)',
    'lab.yaml: steps[1] id: is required (line 16)',
    'lab.yaml: steps[1] checks[0]: a check has exactly one of select, ran, ranInOrder, file, all, any, not (found select and ran) (line 20)',
    'lab.yaml: steps[1] checks[1]: expected a check: a mapping with one of select, ran, ranInOrder, file, all, any, not (line 21)',
    'lab.yaml: steps[1] checks[2].all: expected at least 1 item (line 22)',
  ],
  'unknown-keys': [
    'lab.yaml: titel: unknown key (allowed: id, title, description, estimatedMinutes, steps, position, vars, diagnostics, starterFiles, cluster) (line 2)',
    'lab.yaml: title: is required (line 1)',
    'lab.yaml: step "first" title.fr: unknown key (allowed: zh-CN, en) (line 7)',
    'lab.yaml: step "first" checks[0].select.labelSelecter: unknown key (allowed: kind, namespace, name, labelSelector) (line 11)',
    'lab.yaml: step "first" checks[1].ran.exitCode: unknown key (allowed: command, status, output, example, namespace) (line 12)',
    'lab.yaml: step "first" checks[2].where[0]: expected a condition with exactly one of field, length, phase, ready, waitingReason, image, serviceType, port, rolloutComplete, selectsPods (found phase and ready) (line 15)',
  ],
  'wrong-types': [
    'lab.yaml: estimatedMinutes: expected an integer >= 1 (line 4)',
    'lab.yaml: step "first" points: expected an integer >= 1 (line 9)',
    'lab.yaml: step "first" hints: expected a list (line 10)',
    'lab.yaml: step "first" checks[0].where[0].atLeast: expected a number (line 14)',
    'lab.yaml: step "first" checks[0].where[1].rolloutComplete: expected true or false (line 15)',
    'lab.yaml: step "first" checks[0].count.atMost: unknown key (allowed: atLeast) (line 16)',
    'lab.yaml: step "first" checks[0].count.atLeast: is required (line 16)',
    'lab.yaml: step "first" checks[1].ran.status: expected succeeded, failed or any (line 17)',
    'lab.yaml: step "first" solution: expected a list (line 18)',
  ],
};

describe('loading malformed labs', () => {
  it.each(Object.keys(EXPECTED))('rejects %s with precise messages', (fixture) => {
    expect(problemsOf(fixture)).toEqual(EXPECTED[fixture]);
  });

  it('names the file as it was given, step and field, as in the format documentation', () => {
    const file = join(relative(process.cwd(), FIXTURES), 'broken', 'lab.yaml');
    expect(() => loadLabFile(file)).toThrow(
      `${file}: step "scale" checks[1].count: expected a non-negative integer (line 14)`,
    );
  });

  it('loads a whole folder and reports the problems of every lab in it', () => {
    let error: unknown;
    try {
      loadLabs(FIXTURES);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LabLoadError);
    const files = new Set((error as LabLoadError).issues.map((issue) => relative(FIXTURES, issue.file)));
    expect([...files].sort()).toEqual(
      Object.keys(EXPECTED)
        .map((fixture) => join(fixture, 'lab.yaml'))
        .sort(),
    );
    expect((error as LabLoadError).issues).toHaveLength(Object.values(EXPECTED).flat().length);
  });

  it('rejects a file that is not valid YAML, with the line', () => {
    // Written at run time: an invalid YAML file in the repository would break the formatter's check.
    const root = mkdtempSync(join(tmpdir(), 'labs-'));
    try {
      mkdirSync(join(root, 'invalid-yaml'));
      const file = join(root, 'invalid-yaml', 'lab.yaml');
      writeFileSync(file, 'id: invalid-yaml\ntitle: { zh-CN: 语法, en: Syntax\nsteps:\n  - id: first\n');
      expect(() => loadLabFile(file)).toThrow(
        `${file}: invalid YAML: Flow map in block collection must be sufficiently indented and end with a } (line 3)`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads starter files for the home, and refuses paths that leave it', () => {
    const root = mkdtempSync(join(tmpdir(), 'labs-'));
    const lab = (files: string) =>
      [
        'id: starter',
        'title: { zh-CN: 文件, en: Files }',
        'description: { zh-CN: 说明, en: Description }',
        'estimatedMinutes: 5',
        files,
        'steps:',
        '  - id: first',
        '    title: { zh-CN: 一, en: One }',
        '    instructions: { zh-CN: 做, en: Do }',
        '    points: 1',
        '    checks:',
        '      - select: { kind: Node }',
        '    solution:',
        '      - kubectl get nodes',
        '',
      ].join('\n');
    try {
      mkdirSync(join(root, 'starter'));
      const file = join(root, 'starter', 'lab.yaml');
      writeFileSync(file, lab('starterFiles:\n  manifests/web.yaml: "kind: Pod\\n"'));
      expect(loadLabFile(file).starterFiles).toEqual({ 'manifests/web.yaml': 'kind: Pod\n' });
      writeFileSync(file, lab('starterFiles:\n  ../escape.yaml: x'));
      expect(() => loadLabFile(file)).toThrow(
        `${file}: starterFiles.../escape.yaml: "../escape.yaml" must be a path inside the home: relative, without ".." or empty parts (line 6)`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('rejects a labs folder that does not exist', () => {
    expect(() => loadLabs(join(FIXTURES, 'nope'))).toThrow('is not a folder');
  });
});

describe('the labs/ folder', () => {
  it('loads every lab without a problem', () => {
    const labs = loadLabs(LABS);
    expect(labs.map((lab) => lab.id)).toContain('lec7-k8s-basics');
  });

  it('gives the Lec7 lab ten steps worth 100 points, each with checks, hints and a solution', () => {
    const lab = loadLabs(LABS).find((candidate) => candidate.id === 'lec7-k8s-basics');
    expect(lab?.steps.map((step) => step.id)).toEqual([
      'inspect-cluster',
      'label-node',
      'create-deployment',
      'label-pod',
      'scale-to-3',
      'expose',
      'scale-4-then-2',
      'update-v2',
      'failed-upgrade',
      'rollback',
    ]);
    expect(lab?.steps.reduce((sum, step) => sum + step.points, 0)).toBe(100);
    for (const step of lab?.steps ?? []) {
      expect(step.hints.length).toBeGreaterThan(0);
      expect(step.solution.length).toBeGreaterThan(0);
      expect(step.instructions.en).not.toBe('');
      expect(step.instructions['zh-CN']).not.toBe('');
    }
    expect(lab?.description['zh-CN']).toContain('yanwei.app');
  });
});
