import { CommandError } from '../context';
import { ANNOTATE, parseAnnotationSpecs } from './annotate';
import { LABEL, parseLabelSpecs } from './label';
import { splitResourcesAndPairs } from './metadata-update';

describe('label and annotate arguments', () => {
  it('takes the resources first, then the changes (cmdutil.GetResourcesAndPairs)', () => {
    expect(splitResourcesAndPairs(['pods', 'foo', 'a=b', 'c-'], 'annotation')).toEqual({
      resources: ['pods', 'foo'],
      pairs: ['a=b', 'c-'],
    });
    // `=x` and `-` are not changes.
    expect(splitResourcesAndPairs(['pods', '=x', '-'], 'label').resources).toEqual(['pods', '=x', '-']);
    expect(() => splitResourcesAndPairs(['pods', 'a=b', 'foo'], 'annotation')).toThrow(
      new CommandError('all resources must be specified before annotation changes: foo'),
    );
  });

  it('splits an annotation at its first = and names every key both set and removed', () => {
    expect(parseAnnotationSpecs(['a=b=c', 'e=', 'x-=y', 'f-'])).toEqual({
      set: { a: 'b=c', e: '', 'x-': 'y' },
      remove: ['f'],
    });
    expect(() => parseAnnotationSpecs(['a=1', 'b=2', 'b-', 'a-'])).toThrow(
      'can not both modify and remove the following annotation(s) in the same command: b, a',
    );
  });

  it('keeps label specs to one = and a valid label value', () => {
    expect(parseLabelSpecs(['a=b', 'c-'])).toEqual({ set: { a: 'b' }, remove: ['c'] });
    expect(() => parseLabelSpecs(['a=b=c'])).toThrow('invalid label spec: a=b=c');
    expect(() => parseLabelSpecs(['a=b', 'a-'])).toThrow(
      'can not both modify and remove a label in the same command',
    );
  });

  it('refuses to overwrite a different value without --overwrite, each verb with its message', () => {
    const current = { a: '1', b: '2', 'kubernetes.io/change-cause': 'old' };
    expect(ANNOTATE.overwriteError(current, { a: '1', c: '3' })).toBeUndefined();
    expect(ANNOTATE.overwriteError(current, { a: '9', b: '8', 'kubernetes.io/change-cause': 'new' })).toBe(
      "--overwrite is false but found the following declared annotation(s): 'a' already has a value (1); 'b' already has a value (2)",
    );
    expect(LABEL.overwriteError(current, { a: '9' })).toBe(
      "'a' already has a value (1), and --overwrite is false",
    );
    expect(LABEL.overwriteError(current, { a: '9', b: '8' })).toBe(
      "['a' already has a value (1), and --overwrite is false, 'b' already has a value (2), and --overwrite is false]",
    );
  });

  it('says labeled, unlabeled or not labeled from the object before and after; annotate always annotated', () => {
    expect(LABEL.message('{"a":1}', '{"a":1}', false)).toBe('not labeled');
    expect(LABEL.message('{"a":1,"b":2}', '{"a":1}', false)).toBe('unlabeled');
    expect(LABEL.message('{"a":1,"b":2}', '{"a":1}', true)).toBe('labeled');
    expect(ANNOTATE.message('{}', '{}', false)).toBe('annotated');
  });
});
