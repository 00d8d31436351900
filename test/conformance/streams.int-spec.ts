/**
 * Streams served by `engine serve` (issue 20), driven by real kubectl 1.30 (the oracle), 1.31, 1.32 and 1.33:
 * exec over WebSocket (`v5.channel.k8s.io`) and over SPDY/3.1 (kubectl's fallback), exit codes, piped stdin, a
 * terminal (`exec -it`, `attach -it`, under `script`), `logs -f` following the virtual clock until the container
 * ends, and port-forward (SPDY/3.1 for 1.30, SPDY tunnelled in a WebSocket for 1.31+) with a real HTTP client on
 * kubectl's local port, and to a port the pod does not listen on; terminal resizes (WebSocket channel 4, the SPDY
 * resize stream) and 3.6 MB through exec and logs -f. Non-terminal exec output is compared with the lab terminal's
 * built-in kubectl on a twin cluster.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { render } from '../oracle/oracle';
import { mask, RealKubectl, requireKubectl, ServedCluster, TwinTerminal } from './serve-harness';
import {
  binaryFor,
  httpGet,
  inTerminal,
  OpenTerminal,
  requireStreamTools,
  Streaming,
  VERSIONS,
} from './stream-harness';

describe('conformance: exec, attach, logs -f and port-forward through engine serve', () => {
  let served: ServedCluster;
  let kubectl: RealKubectl;
  let twin: TwinTerminal;
  let env: NodeJS.ProcessEnv;

  /** Both clocks move together. */
  const advance = async (ms: number) => {
    twin.advance(ms);
    await served.advance(ms);
  };

  /** A line through real kubectl and the lab terminal, compared after the conformance masks. */
  const both = async (line: string, binary: string) => {
    const real = mask(line, await kubectl.run(line, binary));
    const lab = mask(line, await twin.run(line));
    return { real, lab };
  };

  /** Advances in steps until the pod's phase is Running (at most 3 minutes of virtual time). */
  const untilRunning = async (pod: string) => {
    for (let i = 0; i < 36; i++) {
      const phase = await kubectl.run(`kubectl get pod ${pod} -o jsonpath='{.status.phase}'`);
      if (phase.stdout === 'Running') return;
      await advance(5000);
    }
    throw new Error(`pod ${pod} did not start`);
  };

  beforeAll(async () => {
    requireKubectl();
    requireStreamTools();
    served = await ServedCluster.start();
    kubectl = new RealKubectl(served.kubeconfig);
    twin = new TwinTerminal();
    env = {
      HOME: path.join(kubectl.dir, 'home'),
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      KUBECONFIG: served.kubeconfig,
      TERM: 'xterm',
    };
    for (const line of ['kubectl run web --image=nginx --port=80', 'kubectl run bad --image=nginx:nope']) {
      const { real, lab } = await both(line, binaryFor('1.30'));
      expect(render(real)).toEqual(render(lab));
    }
    await advance(60_000);
  }, 90_000);

  afterAll(async () => {
    await served?.stop();
    kubectl?.dispose();
  });

  describe.each(VERSIONS)('kubectl %s', (version) => {
    const binary = binaryFor(version);
    const tag = version.replace('.', '');

    it('exec POD -- ls / prints what the lab terminal prints', async () => {
      const { real, lab } = await both('kubectl exec web -- ls /', binary);
      // kubectl's own words on a failure belong in the test's report.
      expect({ code: real.code, stderr: real.stderr }).toEqual({ code: 0, stderr: '' });
      expect(render(real)).toEqual(render(lab));
    });

    it("passes a non-zero exit code through (exec -- sh -c 'exit 3')", async () => {
      const { real, lab } = await both("kubectl exec web -- sh -c 'exit 3'", binary);
      expect(real).toEqual({ stdout: '', stderr: 'command terminated with exit code 3\n', code: 3 });
      expect(render(real)).toEqual(render(lab));
    });

    it('exec into a container that is not running: the kubelet refusal, as the lab terminal prints it', async () => {
      const { real, lab } = await both('kubectl exec bad -- ls', binary);
      expect(real).toEqual({
        stdout: '',
        stderr: 'error: unable to upgrade connection: container not found ("bad")\n',
        code: 1,
      });
      expect(render(real)).toEqual(render(lab));
    });

    it('exec -i reads piped stdin', async () => {
      expect(await kubectl.run("echo 'hello' | kubectl exec -i web -- cat", binary)).toEqual({
        stdout: 'hello\n',
        stderr: '',
        code: 0,
      });
      const script = await kubectl.run("echo 'ls /' | kubectl exec -i web -- sh", binary);
      expect(script.stdout).toBe((await kubectl.run('kubectl exec web -- ls /', binary)).stdout);
    });

    it('exec over SPDY/3.1 (WebSockets turned off) gives the same output and exit code', async () => {
      const spdy = Streaming.start(binary, ['exec', 'web', '--', 'ls', '/nope'], {
        ...env,
        KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false',
      });
      const done = await spdy.finished();
      const ws = await kubectl.run('kubectl exec web -- ls /nope', binary);
      expect(done).toEqual({ stdout: ws.stdout, stderr: ws.stderr, code: ws.code });
      expect(ws.code).toBe(2);
    });

    it('exec -it POD -- bash: the pod shell behind a terminal (prompt, echo, cd, exit code)', async () => {
      const run = await inTerminal(
        binary,
        ['exec', '-it', 'web', '--', 'bash'],
        env,
        ['echo hi\r', 'cd /etc\r', 'exit 5\r'],
        'root@web:/# ',
      );
      expect(run.stdout).toBe(
        'root@web:/# echo hi\r\nhi\r\nroot@web:/# cd /etc\r\nroot@web:/etc# exit 5\r\nexit\r\n' +
          'command terminated with exit code 5\r\n',
      );
      expect(run.code).toBe(5);
    }, 30_000);

    it("attach -it joins a shell started with stdin and a terminal; its end ends the container's process", async () => {
      const pod = `shell-${tag}`;
      const manifest = JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod },
        spec: { containers: [{ name: 'shell', image: 'busybox', command: ['sh'], stdin: true, tty: true }] },
      });
      expect((await kubectl.run(`echo '${manifest}' | kubectl create -f -`, binary)).stdout).toBe(
        `pod/${pod} created\n`,
      );
      await untilRunning(pod);
      const run = await inTerminal(
        binary,
        ['attach', pod, '-i', '-t'],
        env,
        ['\r', 'echo attached\r', 'exit\r'],
        "If you don't see a command prompt, try pressing enter.",
      );
      expect(run.stdout).toBe(
        "If you don't see a command prompt, try pressing enter.\r\n\r\n/ # echo attached\r\nattached\r\n" +
          `/ # exit\r\nexit\r\nSession ended, resume using 'kubectl attach ${pod} -c shell -i -t' command when the pod is running\r\n`,
      );
      expect(run.code).toBe(0);
      // The kubelet restarts the container (restart policy Always) once its process has ended.
      await advance(15_000);
      const restarts = await kubectl.run(
        `kubectl get pod ${pod} -o jsonpath='{.status.containerStatuses[0].restartCount}'`,
      );
      expect(restarts.stdout).toBe('1');
    }, 60_000);

    it('logs -f follows new lines on the cluster clock until the container ends (with --tail and --timestamps)', async () => {
      const pod = `count-${tag}`;
      await kubectl.run(
        `kubectl run ${pod} --image=busybox --restart=Never -- sh -c 'for i in 1 2 3; do echo line $i; sleep 100; done'`,
        binary,
      );
      await untilRunning(pod);
      const follow = Streaming.start(binary, ['logs', '-f', pod], env);
      await follow.waitFor('line 1\n');
      const tailed = Streaming.start(binary, ['logs', '-f', '--tail=1', '--timestamps', pod], env);
      await tailed.waitFor('line 1\n');
      await advance(100_000);
      await follow.waitFor('line 2\n');
      await tailed.waitFor('line 2\n');
      expect(follow.stdout).toBe('line 1\nline 2\n');
      await advance(100_000);
      await follow.waitFor('line 3\n');
      await advance(100_000);
      expect(await follow.finished()).toEqual({ stdout: 'line 1\nline 2\nline 3\n', stderr: '', code: 0 });
      const stamped = await tailed.finished();
      expect(stamped.code).toBe(0);
      expect(stamped.stdout).toMatch(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line [123]\n){3}$/);
    }, 90_000);

    it('port-forward pod/web LOCAL:80 carries an HTTP GET to the pod (nginx welcome page)', async () => {
      const port = 18080 + 2 * VERSIONS.indexOf(version);
      const forward = Streaming.start(binary, ['port-forward', 'pod/web', `${port}:80`], env);
      // kubectl opens its IPv4 and IPv6 listeners one after the other and prints a line for each: a connection made
      // before the second line is out prints "Handling connection" between them (seen on a slow machine).
      await forward.waitFor(`Forwarding from [::1]:${port} -> 80`);
      const answer = await httpGet(port);
      const ip = (await kubectl.run("kubectl get pod web -o jsonpath='{.status.podIP}'")).stdout;
      const lab = await twin.run(`curl -s ${ip}`);
      expect(answer).toEqual({ status: 200, body: lab.stdout });
      expect(lab.stdout).toContain('<title>Welcome to nginx!</title>');
      await forward.waitFor(`Handling connection for ${port}`);
      const done = await forward.interrupt();
      expect(done.stdout).toBe(
        `Forwarding from 127.0.0.1:${port} -> 80\nForwarding from [::1]:${port} -> 80\nHandling connection for ${port}\n`,
      );
    }, 30_000);

    it('port-forward to a port the pod does not listen on: the kubelet error, then lost connection', async () => {
      const port = 18081 + 2 * VERSIONS.indexOf(version);
      const forward = Streaming.start(binary, ['port-forward', 'pod/web', `${port}:81`], env);
      await forward.waitFor(`Forwarding from 127.0.0.1:${port} -> 81`);
      const answer = await httpGet(port);
      expect(answer).toHaveProperty('error');
      const done = await forward.finished();
      expect(done.code).toBe(1);
      expect(done.stdout).toBe(
        `Forwarding from 127.0.0.1:${port} -> 81\nForwarding from [::1]:${port} -> 81\nHandling connection for ${port}\n`,
      );
      const error =
        `an error occurred forwarding ${port} -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : exit status 1: ` +
        '\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d socat\\[\\d+\\] E connect\\(5, AF=2 127\\.0\\.0\\.1:81, 16\\): Connection refused';
      // 1.31+ wrap klog's error in its structured form; 1.30 prints the plain line.
      const line =
        version !== '1.30'
          ? `E\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ portforward\\.go:\\d+\\] "Unhandled Error" err=<\\n\\t${error}\\n >\\n`
          : `E\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ portforward\\.go:\\d+\\] ${error}\\n`;
      expect(done.stderr).toMatch(new RegExp(`^${line}error: lost connection to pod\\n$`));
    }, 30_000);
  });
  describe('terminal resizes and outputs of several MB', () => {
    /** Four values of 900,000 bytes each (a ConfigMap holds at most 1 MiB): 3.6 MB in all. */
    const values = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(900_000));
    const names = values.map((_, i) => `V${i + 1}`);

    beforeAll(async () => {
      for (const [i, value] of values.entries()) {
        fs.writeFileSync(path.join(kubectl.dir, `v${i + 1}.txt`), value);
        const made = await kubectl.run(
          `kubectl create configmap big-${i + 1} --from-file=V${i + 1}=v${i + 1}.txt`,
        );
        expect(made.stdout).toBe(`configmap/big-${i + 1} created\n`);
      }
      const envFrom = values.map((_, i) => ({ configMapRef: { name: `big-${i + 1}` } }));
      const echo = names.map((name) => `echo $${name}`).join('; ');
      const pod = (name: string, command: string[], restartPolicy: string) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox', command, envFrom }] },
      });
      const pods = [
        pod('big-env', ['sleep', '3600'], 'Always'),
        // Half the lines in one burst, the other half 1 s later, then the container ends.
        pod('big-log', ['sh', '-c', `sleep 300; ${echo}; sleep 1; ${echo}; exit 0`], 'Never'),
      ];
      for (const manifest of pods)
        fs.writeFileSync(path.join(kubectl.dir, `${manifest.metadata.name}.json`), JSON.stringify(manifest));
      expect(await kubectl.run('kubectl create -f big-env.json -f big-log.json')).toEqual({
        stdout: 'pod/big-env created\npod/big-log created\n',
        stderr: '',
        code: 0,
      });
      await untilRunning('big-env');
      await untilRunning('big-log');
    }, 120_000);

    const environment = (stdout: string) =>
      Object.fromEntries(
        stdout
          .split('\n')
          .filter((line) => /^V\d=/.test(line))
          .map((line) => [line.slice(0, 2), line.slice(3)]),
      );

    it.each([
      ['WebSocket', 'true'],
      ['SPDY/3.1', 'false'],
    ])(
      'exec over %s carries 3.6 MB of output complete',
      async (_wire, websockets) => {
        const run = Streaming.start(binaryFor('1.30'), ['exec', 'big-env', '--', 'env'], {
          ...env,
          KUBECTL_REMOTE_COMMAND_WEBSOCKETS: websockets,
        });
        const done = await run.finished(30_000);
        expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
        expect(environment(done.stdout)).toEqual(
          Object.fromEntries(names.map((name, i) => [name, values[i]])),
        );
      },
      40_000,
    );

    it('logs -f carries bursts of 3.6 MB complete, and logs prints the same', async () => {
      const follow = Streaming.start(binaryFor('1.30'), ['logs', '-f', 'big-log'], env);
      // The follower is attached before the lines come.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await advance(300_000);
      await advance(1000);
      await advance(1000);
      const done = await follow.finished(30_000);
      const expected = [...values, ...values].join('\n') + '\n';
      expect({ code: done.code, stderr: done.stderr, length: done.stdout.length }).toEqual({
        code: 0,
        stderr: '',
        length: expected.length,
      });
      expect(done.stdout === expected).toBe(true);
      const all = await kubectl.run('kubectl logs big-log');
      expect(all.stdout === expected).toBe(true);
    }, 60_000);

    it.each([
      ['1.33', 'true'],
      ['1.30', 'false'],
    ])(
      'exec -it (kubectl %s, WebSockets %s): resizes of the terminal leave the session working',
      async (version, websockets) => {
        const shell = await OpenTerminal.start(
          binaryFor(version),
          ['exec', '-it', 'web', '--', 'bash'],
          { ...env, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: websockets },
          'root@web:/# ',
        );
        await shell.type('echo before\r', 'before\r\nroot@web:/# ');
        shell.resize(90, 30);
        shell.resize(200, 60);
        await shell.type('echo after\r', 'after\r\nroot@web:/# ');
        shell.run.write('exit 4\r');
        const done = await shell.run.finished();
        expect(done.code).toBe(4);
        expect(shell.output).toBe(
          'root@web:/# echo before\r\nbefore\r\nroot@web:/# echo after\r\nafter\r\nroot@web:/# exit 4\r\nexit\r\n' +
            'command terminated with exit code 4\r\n',
        );
      },
      30_000,
    );
  });
});
