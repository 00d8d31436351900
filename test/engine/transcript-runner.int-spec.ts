import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPlain, parseDuration, runTranscript } from '../../src/engine/cli/transcript-runner';

describe('transcript runner', () => {
  it('moves the virtual clock on "# advance" lines and skips comments and blank lines', async () => {
    const steps = await runTranscript(
      [
        '# a comment',
        'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
        '',
        '# advance 1m30s',
        'kubectl get deployments',
      ].join('\n'),
    );
    expect(steps.map((s) => s.command)).toEqual([
      'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
      'kubectl get deployments',
    ]);
    expect(steps[1].stdout).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/1     1            1           90s\n',
    );
  });

  it('advances time for waiting commands and interrupts watches after 30 virtual seconds', async () => {
    const [create, status, watch] = await runTranscript(
      [
        'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --replicas=2',
        'kubectl rollout status deployment/web',
        'kubectl get deploy web -w',
      ].join('\n'),
    );
    expect(create.exitCode).toBe(0);
    expect(status.stdout.trimEnd().split('\n').pop()).toBe('deployment "web" successfully rolled out');
    expect(status.exitCode).toBe(0);
    expect(watch.exitCode).toBe(130);
    expect(formatPlain(watch).endsWith('^C\n')).toBe(true);
    expect(watch.stdout).not.toContain('^C');
  });

  it('keeps the pod shell prompt in the plain output', async () => {
    const steps = await runTranscript(
      [
        'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
        '# advance 30s',
        'kubectl exec -ti deploy/web -- bash',
        'pwd',
        'exit',
      ].join('\n'),
    );
    expect(steps.map(formatPlain).slice(1).join('')).toMatch(
      /^\$ kubectl exec -ti deploy\/web -- bash\nroot@web-\w+-\w{5}:\/# pwd\n\/\nroot@web-\w+-\w{5}:\/# exit\nexit\n$/,
    );
  });

  it('runs & jobs beside later steps: wait, fg (interrupted at the watch limit), bg, and the notices', async () => {
    const steps = await runTranscript(
      [
        'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
        'kubectl wait --for=condition=available deployment/web --timeout=2m &',
        'wait %1',
        'kubectl get pods -w &',
        'fg',
        'kubectl get deployments &',
        'kubectl rollout status deployment/web &',
        'wait',
        'jobs',
        'kubectl get pods -w &',
        'bg',
        'kill %1',
        'cat <<EOF',
        'unterminated',
        '',
      ].join('\n'),
    );
    const plain = steps.map(formatPlain);
    expect(plain[1]).toBe(
      '$ kubectl wait --for=condition=available deployment/web --timeout=2m &\n[1] 4242\n',
    );
    expect(plain[2]).toBe(
      '$ wait %1\ndeployment.apps/web condition met\n' +
        '[1]+  Done                    kubectl wait --for=condition=available deployment/web --timeout=2m\n',
    );
    expect(plain[4]).toBe('$ fg\nkubectl get pods -w\n^C\n');
    expect(steps[4].exitCode).toBe(130);
    expect(steps[6].stderr).toBe('[2] 4245\n[1]   Done                    kubectl get deployments\n');
    expect(plain.slice(7, 9)).toEqual(['$ wait\n', '$ jobs\n']);
    expect(steps[10]).toMatchObject({ stderr: 'bash: bg: job 1 already in background\n', exitCode: 0 });
    expect(steps[11]).toMatchObject({ stderr: '', exitCode: 0 });
    expect(steps[12]).toEqual({
      command: 'cat <<EOF\nunterminated',
      prompt: '$ ',
      stdout: 'unterminated\n',
      stderr:
        "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n" +
        '[1]+  Terminated              kubectl get pods -w\n',
      output:
        "bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\nunterminated\n" +
        '[1]+  Terminated              kubectl get pods -w\n',
      exitCode: 0,
    });
  });

  it('parses durations and rejects bad ones with the line number', () => {
    expect(parseDuration('1h30m', 1)).toBe(5_400_000);
    expect(parseDuration('250ms', 1)).toBe(250);
    expect(() => parseDuration('5 minutes', 7)).toThrow('line 7: bad duration "5 minutes"');
  });

  it('runs as `npm run engine -- FILE --json` with one JSON object per command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcript-'));
    const file = join(dir, 't.transcript');
    writeFileSync(file, 'kubectl get nodes\nkubectl get foo\n');
    const out = execFileSync(
      'node',
      ['-r', './scripts/swc-register.cjs', 'src/engine/cli/transcript.ts', file, '--json'],
      {
        cwd: join(__dirname, '../..'),
        encoding: 'utf8',
      },
    );
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        command: 'kubectl get nodes',
        stdout:
          'NAME       STATUS   ROLES           AGE   VERSION\nminikube   Ready    control-plane   90s   v1.30.0\n',
        stderr: '',
        exitCode: 0,
      },
      {
        command: 'kubectl get foo',
        stdout: '',
        stderr: 'error: the server doesn\'t have a resource type "foo"\n',
        exitCode: 1,
      },
    ]);
  });
});
