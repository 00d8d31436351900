import {
  editedFileProblem,
  editHeader,
  hasContent,
  manualStrip,
  stripComments,
  withWindowsLineEndings,
} from './edit-buffer';

describe('the kubectl edit buffer', () => {
  it("writes kubectl's header, then each reason with its causes, closed by a lone #", () => {
    const header = editHeader([
      { head: 'deployments.apps "web" was not valid', causes: ['spec.replicas: Invalid value: -1: bad'] },
      { head: 'The edited file had a syntax error: line one\nline two', causes: [] },
    ]);
    expect(header.split('\n').slice(4)).toEqual([
      '# deployments.apps "web" was not valid:',
      '# * spec.replicas: Invalid value: -1: bad',
      '#',
      '# The edited file had a syntax error: line one',
      '# line two',
      '#',
      '',
    ]);
    expect(
      header.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"),
    ).toBe(true);
  });

  it('compares saves without their comments and layout', () => {
    expect(stripComments('# note\na: 1\nb: [x]\n')).toBe(stripComments('a: 1\nb:\n- x\n'));
    expect(stripComments('a: 1\n')).not.toBe(stripComments('a: 2\n'));
    // Not YAML: the comment lines are dropped by hand (`#!` stays).
    expect(manualStrip('# c\nfoo: [\n#!keep\n')).toBe('foo: [\n#!keep\n');
  });

  it("finds what kubectl's client-side check finds before anything is sent", () => {
    expect(editedFileProblem('apiVersion: v1\nkind: Pod\n')).toBeUndefined();
    expect(editedFileProblem('kind: Pod\n')).toBe('apiVersion not set');
    expect(editedFileProblem('metadata: {}\n')).toBe('[apiVersion not set, kind not set]');
    expect(editedFileProblem('')).toBe('invalid object to validate');
    expect(editedFileProblem('- a\n')).toBe('invalid object to validate');
    expect(editedFileProblem('foo: [\n')).toMatch(/^yaml: /);
  });

  it('CRLF line endings and empty saves', () => {
    expect(withWindowsLineEndings('a\nb\n')).toBe('a\r\nb\r\n');
    expect(hasContent('# only\n\n  # comments\n')).toBe(false);
    expect(hasContent('# c\na: 1\n')).toBe(true);
  });
});
