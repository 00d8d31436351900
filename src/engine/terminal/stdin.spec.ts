import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { HomeDirectory } from './home/home-directory';
import { InputSource, NO_INPUT, readAll, textInput } from './input';
import { runCat, runRead } from './stdin-programs';
import { LabTerminal } from './terminal';

/** Input the test types line by line: each readLine waits for the next `type` (null = Ctrl-D). */
function keyboard(): InputSource & { type(line: string | null): void; waiting(): boolean } {
  const queued: (string | null)[] = [];
  let waiter: ((line: string | null) => void) | undefined;
  return {
    readLine: (signal) =>
      new Promise((resolve, reject) => {
        const aborted = () => {
          const error = new Error('aborted');
          error.name = 'AbortError';
          reject(error);
        };
        if (signal?.aborted) return aborted();
        if (queued.length > 0) return resolve(queued.shift() as string | null);
        waiter = resolve;
        signal?.addEventListener('abort', aborted);
      }),
    type(line) {
      if (waiter) {
        const resolve = waiter;
        waiter = undefined;
        resolve(line);
      } else queued.push(line);
    },
    waiting: () => waiter !== undefined,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function terminal() {
  const cluster = createCluster({ seed: 3, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  const lab = new LabTerminal(cluster);
  const run = async (text: string, stdin?: InputSource, signal?: AbortSignal) => {
    const result = { stdout: '', stderr: '', code: 0 };
    result.code = await lab.run(text, {
      stdout: (c) => (result.stdout += c),
      stderr: (c) => (result.stderr += c),
      stdin,
      signal,
    });
    return result;
  };
  return { cluster, run };
}

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;

describe('input sources', () => {
  it('reads known text line by line and to its end', async () => {
    const input = textInput('a\nb');
    expect(await input.readLine()).toBe('a');
    expect(await input.readLine()).toBe('b');
    expect(await input.readLine()).toBeNull();
    expect(await readAll(textInput('x\ny\n'))).toBe('x\ny\n');
    expect(await readAll(NO_INPUT)).toBe('');
  });
});

describe('read', () => {
  const read = async (args: string[], input: string | null, fromTerminal = true) => {
    let stderr = '';
    const result = await runRead(
      args,
      input === null ? NO_INPUT : textInput(input),
      { stderr: (c) => (stderr += c) },
      { fromTerminal },
    );
    return { ...result, stderr };
  };

  it('splits the line into the names, the last one taking the rest, like bash', async () => {
    expect(await read(['a', 'b'], '  one  two   three  \n')).toEqual({
      exitCode: 0,
      assignments: [
        ['a', 'one'],
        ['b', 'two   three'],
      ],
      stderr: '',
    });
    expect((await read(['a'], '  one  two   \n')).assignments).toEqual([['a', 'one  two']]);
    expect((await read([], '  one  two   \n')).assignments).toEqual([['REPLY', '  one  two   ']]);
    expect((await read(['a', 'b', 'c'], 'one\n')).assignments).toEqual([
      ['a', 'one'],
      ['b', ''],
      ['c', ''],
    ]);
  });

  it('treats backslashes as bash does without -r, and keeps them with -r', async () => {
    expect((await read(['a', 'b'], 'x\\ y z\\\\\n')).assignments).toEqual([
      ['a', 'x y'],
      ['b', 'z\\'],
    ]);
    expect((await read(['a'], 'a\\\nb c\n')).assignments).toEqual([['a', 'ab c']]);
    expect((await read(['-r', 'a', 'b'], 'x\\ y z\\\n')).assignments).toEqual([
      ['a', 'x\\'],
      ['b', 'y z\\'],
    ]);
  });

  it('prints the prompt to stderr only when reading the terminal; end of input empties the names, status 1', async () => {
    expect(await read(['-p', 'Name: ', 'x'], 'bob\n')).toMatchObject({
      stderr: 'Name: ',
      assignments: [['x', 'bob']],
    });
    expect(await read(['-rpName: ', 'x'], 'bob\n', false)).toMatchObject({ stderr: '', exitCode: 0 });
    expect(await read(['x'], null)).toEqual({ exitCode: 1, assignments: [['x', '']], stderr: '' });
    expect(await read(['x'], 'a\\')).toMatchObject({ exitCode: 1, assignments: [['x', 'a']] });
  });

  it.each([
    [['1x'], "bash: read: `1x': not a valid identifier\n", 1],
    [['a-b'], "bash: read: `a-b': not a valid identifier\n", 1],
    [
      ['-p'],
      'bash: read: -p: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n',
      2,
    ],
    [
      ['-z'],
      'bash: read: -z: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n',
      2,
    ],
  ])('read %j fails like bash', async (args, stderr, exitCode) => {
    expect(await read(args, 'x\n')).toEqual({ exitCode, assignments: [], stderr });
  });
});

describe('cat', () => {
  it('copies stdin as the lines arrive, then the files', async () => {
    const input = keyboard();
    let out = '';
    const io = {
      home: new HomeDirectory(undefined, { 'a.txt': 'A\n' }),
      cwd: '',
      stdout: (c: string) => void (out += c),
      stderr: () => undefined,
    };
    const done = runCat(io, ['-', 'a.txt'], input);
    await tick();
    expect(input.waiting()).toBe(true);
    input.type('first');
    await tick();
    expect(out).toBe('first\n');
    input.type('second');
    await tick();
    expect(out).toBe('first\nsecond\n');
    input.type(null);
    expect(await done).toBe(0);
    expect(out).toBe('first\nsecond\nA\n');
  });
});

describe('LabTerminal with stdin and here-documents', () => {
  it('applies a manifest from a here-document exactly as from a file', async () => {
    const { run, cluster } = terminal();
    expect(await run(`kubectl apply -f - <<EOF\n${DEPLOYMENT}EOF`)).toEqual({
      stdout: 'deployment.apps/web created\n',
      stderr: '',
      code: 0,
    });
    expect(await run(`cat <<'EOF' | kubectl apply -f -\n${DEPLOYMENT}EOF`)).toEqual({
      stdout: 'deployment.apps/web unchanged\n',
      stderr: '',
      code: 0,
    });
    expect(cluster.api.list('deployments', { namespace: 'default' }).map((d) => d.metadata.name)).toEqual([
      'web',
    ]);
  });

  it('expands variables and $(kubectl ...) in an unquoted body, not in a quoted one', async () => {
    const { run } = terminal();
    await run('export NS=dev');
    expect(
      (
        await run(
          'cat <<EOF | kubectl apply -f -\nkind: Namespace\napiVersion: v1\nmetadata:\n  name: $NS\nEOF',
        )
      ).stdout,
    ).toBe('namespace/dev created\n');
    expect((await run('cat <<EOF\n$NS ${NS} \\$NS $(kubectl get ns dev -o name)\nEOF')).stdout).toBe(
      'dev dev $NS namespace/dev\n',
    );
    expect((await run("cat <<'EOF'\n$NS $(kubectl get ns dev -o name)\nEOF")).stdout).toBe(
      '$NS $(kubectl get ns dev -o name)\n',
    );
    expect((await run('cat <<-EOF\n\t\tindented\n\tEOF')).stdout).toBe('indented\n');
    expect((await run('grep -c a <<EOF\na\nb\na\nEOF')).stdout).toBe('2\n');
  });

  it('checks the body before anything runs', async () => {
    const { run, cluster } = terminal();
    const result = await run(`kubectl apply -f - <<EOF\n${NAMESPACE}x: $(docker ps)\nEOF`);
    expect(result).toMatchObject({ code: 127, stdout: '' });
    expect(result.stderr).toContain('$(docker ps) is not available');
    expect(cluster.api.list('namespaces').map((n) => n.metadata.name)).not.toContain('dev');
    expect(await run('kubectl get pods <<EOF | sh\nEOF')).toMatchObject({ code: 127, stdout: '' });
  });

  it('reads the rest of an open here-document from stdin, and warns like bash when input ends first', async () => {
    const { run } = terminal();
    expect(await run('cat <<EOF', textInput('one\ntwo\nEOF\nnot read\n'))).toEqual({
      stdout: 'one\ntwo\n',
      stderr: '',
      code: 0,
    });
    expect(await run('kubectl apply -f - <<END', textInput(NAMESPACE))).toEqual({
      stdout: 'namespace/dev created\n',
      stderr: "bash: warning: here-document at line 1 delimited by end-of-file (wanted `END')\n",
      code: 0,
    });
  });

  it('kubectl apply -f - and create -f - read stdin to its end; cat and read read it too', async () => {
    const { run } = terminal();
    expect(await run('kubectl create -f -', textInput(`${NAMESPACE}---\n${DEPLOYMENT}`))).toEqual({
      stdout: 'namespace/dev created\ndeployment.apps/web created\n',
      stderr: '',
      code: 0,
    });
    expect(await run('kubectl create -f -', textInput(NAMESPACE))).toEqual({
      stdout: '',
      stderr:
        'Error from server (AlreadyExists): error when creating "STDIN": namespaces "dev" already exists\n',
      code: 1,
    });
    expect(await run('kubectl apply -f -', textInput(NAMESPACE))).toMatchObject({
      stdout: 'namespace/dev configured\n',
      code: 0,
    });
    expect(await run('kubectl apply -f - -f -', textInput(NAMESPACE))).toEqual({
      stdout: '',
      stderr: 'error: standard input cannot be used for multiple arguments\n',
      code: 1,
    });
    expect(await run('kubectl create -f -')).toEqual({
      stdout: '',
      stderr: 'error: no objects passed to create\n',
      code: 1,
    });
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'json' } });
    expect((await run('kubectl apply -f -', textInput(json))).stdout).toBe('namespace/json created\n');
    expect(await run('cat', textInput('a\nb\n'))).toEqual({ stdout: 'a\nb\n', stderr: '', code: 0 });
    expect(await run('cat')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('read a b', textInput('one two three\n'))).toMatchObject({ code: 0 });
    expect((await run('echo "$a|$b"')).stdout).toBe('one|two three\n');
    expect(await run('read -p "Name: " who', textInput('bob\n'))).toEqual({
      stdout: '',
      stderr: 'Name: ',
      code: 0,
    });
    expect(await run('read who <<EOF\nfrom the body\nEOF')).toMatchObject({ stderr: '', code: 0 });
    expect((await run('echo $who')).stdout).toBe('from the body\n');
    expect(await run('read who')).toMatchObject({ code: 1 });
    expect((await run('echo "[$who]"')).stdout).toBe('[]\n');
  });

  it('feeds kubectl apply -f - from the stages before it', async () => {
    const { run } = terminal();
    expect(
      await run('kubectl create deployment web --image=nginx --dry-run=client -o yaml | kubectl apply -f -'),
    ).toEqual({ stdout: 'deployment.apps/web created\n', stderr: '', code: 0 });
    expect(await run('cat pod.yaml | kubectl apply -f - | grep -c created')).toEqual({
      stdout: '1\n',
      stderr: '',
      code: 0,
    });
    expect((await run('kubectl get pods | kubectl get pods')).stderr).toContain(
      'kubectl: not available after a pipe',
    );
  });

  it('stops a program waiting for input when the signal aborts', async () => {
    const { run } = terminal();
    const controller = new AbortController();
    const input = keyboard();
    const reading = run('kubectl apply -f -', input, controller.signal);
    await tick();
    expect(input.waiting()).toBe(true);
    controller.abort();
    expect((await reading).code).toBe(130);
    const catting = run('cat', keyboard(), controller.signal);
    expect((await catting).code).toBe(130);
  });

  it('runs a background line without a terminal: no stdin, no TTY, and its variables do not stay', async () => {
    const { cluster } = terminal();
    const lab = new LabTerminal(cluster);
    const out: string[] = [];
    const io = { stdout: (c: string) => out.push(c), stderr: (c: string) => out.push(c), background: true };
    expect(await lab.run('read x', { ...io, stdin: textInput('typed\n') })).toBe(1);
    expect(await lab.run('export GONE=1', io)).toBe(0);
    out.length = 0;
    await lab.run('echo "[$x][$GONE]"', io);
    expect(out.join('')).toBe('[][]\n');
  });

  it('answers job control with an empty job table (the platform and the transcript runner keep the jobs)', async () => {
    const { run } = terminal();
    expect(await run('jobs')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('kill %1')).toEqual({ stdout: '', stderr: 'bash: kill: %1: no such job\n', code: 1 });
    expect(await run('fg')).toEqual({ stdout: '', stderr: 'bash: fg: current: no such job\n', code: 1 });
    expect((await run('jobs | wc -l')).stderr).toContain('jobs: not available in a pipeline');
    expect((await run('sleep 5 &')).stderr).toContain("background jobs ('&')");
  });
});
