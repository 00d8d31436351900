import { parseCheck } from './loader';
import { LabLoadError } from './reader';
import { evaluateCheck } from '../evaluation/evaluate';
import { readObjectsFromList } from '../evaluation/objects-from-list';
import { REGEX_BUDGET_MS } from '../evaluation/regex-runner';

/** Nine aliases of nine aliases of ...: about 9^5 nodes once expanded. */
const BOMB = [
  'select: { kind: Pod }',
  'where:',
  '  - field: .a',
  '    equals: x',
  'label:',
  '  zh-CN: &a [x,x,x,x,x,x,x,x,x]',
  '  en: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'x1: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'x2: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'x3: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

describe('bad lab input', () => {
  it('stops a YAML alias bomb before it expands', () => {
    expect(() => parseCheck(BOMB)).toThrow(LabLoadError);
    expect(() => parseCheck(BOMB)).toThrow(/aliases expand too much/);
  });

  it('rejects {{vars}} where they are not filled, and unknown ones in JSONPaths', () => {
    expect(() => parseCheck("select: { kind: Pod }\nwhere: [{ phase: '{{phase}}' }]", ['phase'])).toThrow(
      'where[0].phase: {{vars}} are not filled in here; write the value itself',
    );
    expect(() =>
      parseCheck("select: { kind: ConfigMap }\nwhere: [{ field: '.data.{{key}}', exists: true }]"),
    ).toThrow('where[0].field: unknown variable {{key}}');
  });

  it('rejects over-long regexes at load time', () => {
    expect(() => parseCheck(`ran: { command: '${'a'.repeat(2001)}' }`)).toThrow(
      /regex too long \(2001 characters/,
    );
  });

  it('grades a regex that would backtrack catastrophically, when V8 can run it in linear time', async () => {
    const context = {
      readObjects: readObjectsFromList([]),
      history: [{ command: `echo ${'a'.repeat(40)}!`, exitCode: 0 }],
    };
    const verdict = await evaluateCheck(parseCheck("ran: { command: '^echo (a+)+$' }"), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason.en).toMatch(/^Your history has no command matching \/\^echo \(a\+\)\+\$\//);
  });

  it('stops a regex that backtracks catastrophically and fails only its own check', async () => {
    const context = {
      readObjects: readObjectsFromList([]),
      history: [{ command: `echo ${'a'.repeat(40)}!`, exitCode: 0 }],
    };
    // The backreference keeps it off V8's linear-time engine: it runs in the vm, under the budget.
    const slow = parseCheck("ran: { command: '^echo (a+)+\\1b' }");
    const verdict = await evaluateCheck(
      { type: 'any', checks: [slow, parseCheck("ran: { command: '^echo' }")] },
      context,
    );
    expect(verdict.passed).toBe(true);
    expect(verdict.children?.[0].passed).toBe(false);
    expect(verdict.children?.[0].reason.en).toBe(
      `The lab's regex /^echo (a+)+\\1b/ took longer than ${REGEX_BUDGET_MS} ms and was stopped; this check cannot be graded (tell the lab's author).`,
    );
    // Remembered as too slow: the next grading fails it at once, with the same reason.
    const again = await evaluateCheck(slow, context);
    expect(again.reason.en).toBe(verdict.children?.[0].reason.en);
  });
});
