import { parseDuration, parseSolutionLine } from './solution';

describe('solution lines', () => {
  it('reads durations in the transcript notation', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('classifies commands, clock moves and comments', () => {
    expect(parseSolutionLine('kubectl get pods')).toEqual({ kind: 'command', line: 'kubectl get pods' });
    expect(parseSolutionLine('# advance 1m30s')).toEqual({ kind: 'advance', ms: 90_000 });
    expect(parseSolutionLine('# the pod is now running')).toEqual({
      kind: 'comment',
      text: '# the pod is now running',
    });
    expect(parseSolutionLine('# advance a while')).toEqual({
      kind: 'error',
      message: 'bad duration "a while" (e.g. 500ms, 30s, 2m, 1m30s)',
    });
  });
});
