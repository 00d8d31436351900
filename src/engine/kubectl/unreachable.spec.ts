import { needsServer, unreachableAnswer } from './unreachable';

describe('kubectl against a stopped machine', () => {
  it.each([
    ['get pods', true],
    ['-n kube-system get pods', true],
    ['version', true],
    ['version --client', false],
    ['config current-context', false],
    ['get pods --help', false],
    ['get', false],
    ['get -f deployment.yaml', true],
    ['help', false],
    ['', false],
  ])('%j needs the server: %s', (line, expected) => {
    expect(needsServer(line === '' ? [] : line.split(' '))).toBe(expected);
  });

  it('answers a create subcommand with its POST, in the namespace given', () => {
    const answer = unreachableAnswer(['create', 'cm', 'x', '-n', 'lab'], '192.168.49.2:8443', 0);
    expect(answer).toEqual({
      stdout: '',
      stderr:
        'error: failed to create configmap: Post "https://192.168.49.2:8443/api/v1/namespaces/lab/configmaps?fieldManager=kubectl-create&fieldValidation=Strict": dial tcp 192.168.49.2:8443: connect: connection refused\n',
      code: 1,
    });
  });

  it('retries discovery as many times as the command does', () => {
    const lines = (args: string[]) =>
      unreachableAnswer(args, '192.168.49.2:8443', 0)
        .stderr.split('\n')
        .filter((l) => l.includes('memcache.go'));
    expect(lines(['get', 'pods'])).toHaveLength(5);
    expect(lines(['logs', 'web'])).toHaveLength(4);
    expect(lines(['top', 'pods'])).toHaveLength(0);
  });
});
