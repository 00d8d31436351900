import { fieldPath, orderFiles, placeProblem, problemsByFile } from './problem-lines';

const LAB_YAML = `id: demo
title: { zh-CN: 演示, en: Demo }
description: { file: description.md }
estimatedMinutes: 10
steps:
  - id: first
    title: { zh-CN: 一, en: One }
    points: 10
    checks:
      - label: { zh-CN: 甲, en: A }
        select: { kind: Pod, name: web }
      - select:
          kind: Deployment
          name: app
        where:
          - replicas: 3
    solution:
      - kubectl run web --image=nginx
  - id: second
    title: { zh-CN: 二, en: Two }
    points: 5
    checks:
    - select: { kind: Pod }
      count: 1
    solution:
      - kubectl get pods
`;
const files = { 'lab.yaml': LAB_YAML, 'steps/01.md': 'one\ntwo\nthree\n' };
const lineOf = (text: string) => LAB_YAML.split('\n').findIndex((line) => line.includes(text)) + 1;

describe('placeProblem', () => {
  it('keeps the line the loader gave, clamped to the file', () => {
    expect(placeProblem({ file: 'steps/01.md', line: 2, message: 'x' }, files).line).toBe(2);
    expect(placeProblem({ file: 'steps/01.md', line: 99, message: 'x' }, files).line).toBe(4);
  });

  it('finds a step by its id and a field inside it', () => {
    expect(placeProblem({ file: 'lab.yaml', step: 'second', message: 'x' }, files).line).toBe(
      lineOf('id: second'),
    );
    expect(
      placeProblem({ file: 'lab.yaml', step: 'second', field: 'points', message: 'x' }, files).line,
    ).toBe(LAB_YAML.split('\n').lastIndexOf('    points: 5') + 1);
  });

  it('follows list indexes and nested keys of a field path', () => {
    const at = (field: string, step = 'first') =>
      placeProblem({ file: 'lab.yaml', step, field, message: 'x' }, files).line;
    expect(at('checks[1].select.kind')).toBe(lineOf('kind: Deployment'));
    expect(at('checks.1.where.0.replicas')).toBe(lineOf('replicas: 3'));
    expect(at('checks[0].select')).toBe(lineOf('select: { kind: Pod, name: web }'));
    // A list at its key's own indentation.
    expect(at('checks[0].count', 'second')).toBe(lineOf('count: 1'));
    // A field the text lacks stops at the deepest part found.
    expect(at('checks[1].where.0.nope')).toBe(lineOf('- replicas: 3'));
  });

  it('reads a field from the root when no step is named', () => {
    expect(placeProblem({ file: 'lab.yaml', field: 'estimatedMinutes', message: 'x' }, files).line).toBe(4);
    expect(placeProblem({ file: 'lab.yaml', field: 'steps[1].points', message: 'x' }, files).line).toBe(
      LAB_YAML.split('\n').lastIndexOf('    points: 5') + 1,
    );
  });

  it('puts problems of unknown steps and missing files on line 1', () => {
    expect(placeProblem({ file: 'lab.yaml', step: 'ghost', message: 'x' }, files).line).toBe(1);
    expect(placeProblem({ file: 'steps/09.md', message: 'missing' }, files)).toMatchObject({
      path: 'steps/09.md',
      line: 1,
    });
  });
});

describe('problem helpers', () => {
  it('parses field paths in both notations', () => {
    expect(fieldPath('checks[0].select.kind')).toEqual(['checks', '0', 'select', 'kind']);
    expect(fieldPath('/steps/2/hints/1/en')).toEqual(['steps', '2', 'hints', '1', 'en']);
  });

  it('groups problems by file', () => {
    const grouped = problemsByFile(
      [
        { file: 'lab.yaml', step: 'second', message: 'a' },
        { file: 'steps/01.md', line: 3, message: 'b' },
        { file: 'lab.yaml', field: 'title', message: 'c' },
      ],
      files,
    );
    expect(grouped.get('lab.yaml')?.map((p) => [p.line, p.problem.message])).toEqual([
      [lineOf('id: second'), 'a'],
      [2, 'c'],
    ]);
    expect(grouped.get('steps/01.md')?.map((p) => p.line)).toEqual([3]);
  });

  it('orders tabs as a lab reads', () => {
    expect(orderFiles(['steps/02.md', 'files/a.yaml', 'description.md', 'steps/01.md', 'lab.yaml'])).toEqual([
      'lab.yaml',
      'description.md',
      'steps/01.md',
      'steps/02.md',
      'files/a.yaml',
    ]);
  });
});
