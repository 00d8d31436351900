import { toGoYaml } from './yaml';

/**
 * What go-yaml v2 does with strings the oracle corpus cannot carry on one line (line breaks in values, a carriage
 * return) and the folding rules at their edges. The corpus (test/oracle/corpus/issue13-rest.lines) judges the rest
 * against kubectl v1.30.
 */
describe('go-yaml v2 string styles', () => {
  const long = 'a long value with spaces that goes on and on past the eighty column limit of yaml';

  it('writes a value with line breaks as a literal block with its chomping and indentation hints', () => {
    expect(toGoYaml({ data: { a: 'one\ntwo', b: 'one\n', c: 'one\n\n', d: ' lead\nx', e: '\nx' } })).toBe(
      'data:\n' +
        '  a: |-\n    one\n    two\n' +
        '  b: |\n    one\n' +
        '  c: |+\n    one\n\n' +
        '  d: |2-\n     lead\n    x\n' +
        '  e: |2-\n\n    x\n',
    );
  });

  it('double-quotes a multi-line value a block cannot hold (trailing space, space before a break, a tab)', () => {
    expect(toGoYaml({ a: 'x \ny', b: 'x\ny ', c: 'x\n\ty' })).toBe(
      'a: "x \\ny"\n' + 'b: "x\\ny "\n' + 'c: "x\\n\\ty"\n',
    );
  });

  it('folds a double-quoted value past column 80 and keeps a space after the fold with a backslash', () => {
    expect(toGoYaml({ k: `\t${long}` })).toBe(
      `k: "\\ta long value with spaces that goes on and on past the eighty column limit of\n  yaml"\n`,
    );
    // Only the first space of a run may fold; the one after it would be lost as indentation.
    expect(toGoYaml({ k: `\t${'x'.repeat(80)}  y` })).toBe(`k: "\\t${'x'.repeat(80)}\n  \\ y"\n`);
  });

  it('escapes a carriage return and characters outside the printable set', () => {
    expect(toGoYaml({ k: 'a\rb', u: 'é\u{1F600}\uFEFF' })).toBe('k: "a\\rb"\nu: "é\\U0001F600\\uFEFF"\n');
  });

  it('fails as kubectl does for characters go-yaml refuses to read back', () => {
    expect(() => toGoYaml({ k: 'a\u007fb' })).toThrow(
      'error converting JSON to YAML: yaml: control characters are not allowed',
    );
  });

  it('writes a key longer than 128 bytes as a complex key', () => {
    const key = 'k'.repeat(129);
    expect(toGoYaml({ [key]: 'v' })).toBe(`? ${key}\n: v\n`);
  });
});
