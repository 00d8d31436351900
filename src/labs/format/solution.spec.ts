import { parseSolutionLine } from './solution';

describe('solution lines', () => {
  it('classifies commands, clock moves and comments', () => {
    expect(parseSolutionLine('kubectl get pods')).toEqual({ kind: 'command', line: 'kubectl get pods' });
    expect(parseSolutionLine('  kubectl get pods  ')).toEqual({ kind: 'command', line: 'kubectl get pods' });
    expect(parseSolutionLine('# the pod is now running')).toEqual({
      kind: 'comment',
      text: '# the pod is now running',
    });
  });

  it('reads clock moves with the transcript runner durations', () => {
    expect(parseSolutionLine('# advance 30s')).toEqual({ kind: 'advance', ms: 30_000 });
    expect(parseSolutionLine('# advance 1m30s')).toEqual({ kind: 'advance', ms: 90_000 });
    expect(parseSolutionLine('#advance 500ms')).toEqual({ kind: 'advance', ms: 500 });
    expect(parseSolutionLine('# advance 1h')).toEqual({ kind: 'advance', ms: 3_600_000 });
  });

  it('rejects a clock move it cannot read', () => {
    for (const bad of ['# advance a while', '# advance 30', '# advance 30s later']) {
      expect(parseSolutionLine(bad)).toEqual({
        kind: 'error',
        message: `bad duration "${bad.slice('# advance '.length)}" (e.g. 500ms, 30s, 2m, 1h30m)`,
      });
    }
  });
});
