import { checkCommandLine } from './command-line.policy';

const LIMIT = 4096;

describe('checkCommandLine', () => {
  it('accepts the lab commands, trimmed', () => {
    for (const line of [
      'kubectl get pods -o wide',
      '  kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1  ',
      'curl $(minikube ip):31172',
      "kubectl get pods | grep 'yanwei' | wc -l",
      'kubectl label pod yanwei.app-65ddbc7454-8fm8g transwarp.io/name=yanwei',
      'kubectl get pods -l app=yanwei.app -o jsonpath="{.items[0].metadata.name}"',
    ]) {
      expect(checkCommandLine(line, LIMIT)).toEqual({ ok: true, line: line.trim() });
    }
  });

  it.each([
    ['', 'Type a command first.'],
    ['   ', 'Type a command first.'],
    ['kubectl get pods\u0000', 'The command contains a NUL byte.'],
    ['kubectl get pods\u001b[2J', 'The command contains control characters; type or paste plain text.'],
    ['kubectl get pods\nrm -rf /', 'The command contains control characters; type or paste plain text.'],
    ['kubectl get pods \ufffd', 'The command is not valid UTF-8 text.'],
    ['kubectl get \ud800pods', 'The command is not valid UTF-8 text.'],
  ])('rejects %j', (line, message) => {
    expect(checkCommandLine(line, LIMIT)).toEqual({ ok: false, message });
  });

  it('rejects lines over the byte limit, counting UTF-8 bytes', () => {
    expect(checkCommandLine('x'.repeat(5 * 1024), LIMIT)).toEqual({
      ok: false,
      message: 'The command is too long: 5120 bytes (the limit is 4096).',
    });
    expect(checkCommandLine('标'.repeat(1366), LIMIT).ok).toBe(false); // 4098 bytes
  });

  it.each([
    'kubectl get pods; rm -rf /',
    'kubectl get pods && rm -rf /',
    'kubectl get pods || true',
    'kubectl get pods > /etc/passwd',
    'cat < /etc/shadow',
    'echo `id`',
    'kubectl get pods &',
    '(kubectl get pods)',
  ])('rejects the shell operator in %j', (line) => {
    const verdict = checkCommandLine(line, LIMIT);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(/not available in this lab terminal/);
  });

  it('allows $( ) only around kubectl and minikube', () => {
    expect(checkCommandLine('curl $(rm -rf /)', LIMIT)).toEqual({
      ok: false,
      message:
        '$( rm -rf / ) is not available in this lab terminal: only kubectl and minikube can be substituted.',
    });
    expect(checkCommandLine('echo $(kubectl get pods -o name)', LIMIT).ok).toBe(true);
    expect(checkCommandLine('echo $(kubectl get $(minikube ip))', LIMIT).ok).toBe(false);
  });

  it('refuses non-text input', () => {
    expect(checkCommandLine(42, LIMIT)).toEqual({ ok: false, message: 'The command must be text.' });
  });
});
