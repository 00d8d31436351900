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
      expect(checkCommandLine(line, { maxLineBytes: LIMIT, maxBlockBytes: 262144 })).toEqual({
        ok: true,
        line: line.trim(),
      });
    }
  });

  it.each([
    ['', 'Type a command first.'],
    ['   ', 'Type a command first.'],
    ['kubectl get pods\u0000', 'The command contains a NUL byte.'],
    ['kubectl get pods\u001b[2J', 'The command contains control characters; type or paste plain text.'],
    [
      'kubectl get pods\nrm -rf /',
      'Several lines must form one command, a heredoc such as kubectl apply -f - <<EOF … EOF; send other commands one line at a time.',
    ],
    ['kubectl get pods \ufffd', 'The command is not valid UTF-8 text.'],
    ['kubectl get \ud800pods', 'The command is not valid UTF-8 text.'],
  ])('rejects %j', (line, message) => {
    expect(checkCommandLine(line, { maxLineBytes: LIMIT, maxBlockBytes: 262144 })).toEqual({
      ok: false,
      message,
    });
  });

  it('rejects lines over the byte limit, counting UTF-8 bytes', () => {
    expect(checkCommandLine('x'.repeat(5 * 1024), { maxLineBytes: LIMIT, maxBlockBytes: 262144 })).toEqual({
      ok: false,
      message: 'The command is too long: 5120 bytes (the limit is 4096).',
    });
    expect(checkCommandLine('标'.repeat(1366), { maxLineBytes: LIMIT, maxBlockBytes: 262144 }).ok).toBe(
      false,
    ); // 4098 bytes
  });

  it.each([
    'kubectl get pods; rm -rf /',
    'kubectl get pods && rm -rf /',
    'kubectl get pods || true',
    'kubectl get pods > /etc/passwd',
    'cat < /etc/shadow',
    'echo `id`',
    'kubectl get pods & kubectl get nodes',
    '(kubectl get pods)',
  ])('rejects the shell operator in %j', (line) => {
    const verdict = checkCommandLine(line, { maxLineBytes: LIMIT, maxBlockBytes: 262144 });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(/not available in this lab terminal/);
  });

  it('allows output into the home and refuses it elsewhere before anything is queued', () => {
    const limits = { maxLineBytes: LIMIT, maxBlockBytes: 262144 };
    expect(checkCommandLine('kubectl get pods -o yaml > pods.yaml', limits).ok).toBe(true);
    expect(checkCommandLine('kubectl get pods >> /home/student/notes/pods.txt', limits).ok).toBe(true);
    expect(checkCommandLine('echo hi >> /home/student/../../etc/profile', limits)).toEqual({
      ok: false,
      message:
        '>> /home/student/../../etc/profile is not available in this lab terminal: output can be redirected only into files in /home/student.',
    });
  });

  it('allows $( ) only around kubectl and minikube', () => {
    expect(checkCommandLine('curl $(rm -rf /)', { maxLineBytes: LIMIT, maxBlockBytes: 262144 })).toEqual({
      ok: false,
      message:
        '$( rm -rf / ) is not available in this lab terminal: only kubectl and minikube can be substituted.',
    });
    expect(
      checkCommandLine('echo $(kubectl get pods -o name)', { maxLineBytes: LIMIT, maxBlockBytes: 262144 }).ok,
    ).toBe(true);
    expect(
      checkCommandLine('echo $(kubectl get $(minikube ip))', { maxLineBytes: LIMIT, maxBlockBytes: 262144 })
        .ok,
    ).toBe(false);
  });

  it('refuses non-text input', () => {
    expect(checkCommandLine(42, { maxLineBytes: LIMIT, maxBlockBytes: 262144 })).toEqual({
      ok: false,
      message: 'The command must be text.',
    });
  });

  it('takes a heredoc of several lines as one command, up to the block limit', () => {
    const limits = { maxLineBytes: LIMIT, maxBlockBytes: 1024 };
    const block = 'kubectl apply -f - <<EOF\r\napiVersion: v1\r\nkind: ConfigMap\r\nEOF\r\n';
    expect(checkCommandLine(block, limits)).toEqual({
      ok: true,
      line: 'kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nEOF',
    });
    // A heredoc still being typed is one line for now: it is an interactive run.
    expect(checkCommandLine('cat <<EOF | kubectl apply -f -', limits).ok).toBe(true);
    const big = `kubectl apply -f - <<EOF\n${'# padding\n'.repeat(120)}EOF`;
    expect(checkCommandLine(big, limits)).toEqual({
      ok: false,
      message: `The command is too long: ${Buffer.byteLength(big)} bytes (the limit is 1024).`,
    });
    expect(checkCommandLine('kubectl apply -f - <<EOF\n\u0007\nEOF', limits).ok).toBe(false);
  });
});
