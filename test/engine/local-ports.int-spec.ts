import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';
import { allRunning, BOOTCAMP_V1, deploymentFor, podsOf } from '../../src/engine/testing';

interface Line {
  stdout: string;
  stderr: string;
  code: number | undefined;
  controller: AbortController;
  done: Promise<number>;
}

/** One terminal whose lines may run at the same time, as a background `kubectl port-forward` and a `curl` do. */
function setup() {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const cluster = createCluster({ seed: 7, clock });
  const terminal = new LabTerminal(cluster);
  const start = (text: string): Line => {
    const controller = new AbortController();
    const line = { stdout: '', stderr: '', code: undefined, controller } as Line;
    line.done = terminal
      .run(text, {
        stdout: (c) => (line.stdout += c),
        stderr: (c) => (line.stderr += c),
        signal: controller.signal,
      })
      .then((code) => (line.code = code));
    return line;
  };
  const settle = async (line: Line) => {
    for (let i = 0; i < 50 && line.code === undefined && clock.pendingSleeps() === 0; i++)
      await new Promise((resolve) => setImmediate(resolve));
    return line;
  };
  const run = async (text: string) => {
    const line = start(text);
    await line.done;
    return { stdout: line.stdout, stderr: line.stderr, code: line.code };
  };
  const bootcamp = () => {
    cluster.api.create(deploymentFor('kubernetes-bootcamp', BOOTCAMP_V1, 1));
    for (let i = 0; i < 200 && !allRunning(cluster, 'kubernetes-bootcamp', 1); i++) {
      clock.advance(500);
      cluster.sync();
    }
    return podsOf(cluster, 'kubernetes-bootcamp')[0].metadata.name;
  };
  return { cluster, clock, start, settle, run, bootcamp };
}

describe('LabTerminal: port-forward, proxy and curl localhost share the terminal', () => {
  it('reaches a running port-forward from another line, then refuses once it is stopped', async () => {
    const { start, settle, run, bootcamp } = setup();
    const pod = bootcamp();
    const forward = await settle(start(`kubectl port-forward pod/${pod} 8080:8080`));
    expect(forward.stdout).toBe(
      'Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n',
    );

    expect(await run('curl localhost:8080')).toEqual({
      stdout: `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`,
      stderr: '',
      code: 0,
    });
    expect(forward.stdout.endsWith('Handling connection for 8080\n')).toBe(true);
    expect((await run('curl -s localhost:8080 | wc -l')).stdout).toBe('1\n');

    forward.controller.abort();
    expect(await forward.done).toBe(130);
    expect(await run('curl localhost:8080')).toEqual({
      stdout: '',
      stderr: 'curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused\n',
      code: 7,
    });
  });

  it('serves the API through kubectl proxy, as in the Kubernetes basics tutorial', async () => {
    const { start, settle, run, bootcamp } = setup();
    const pod = bootcamp();
    const proxy = await settle(start('kubectl proxy'));
    expect(proxy.stdout).toBe('Starting to serve on 127.0.0.1:8001\n');
    expect((await run('curl http://localhost:8001/version')).stdout).toMatch(/"gitVersion": "v1\.30\.0"/);
    expect(await run(`export POD_NAME=${pod}`)).toMatchObject({ code: 0 });
    expect(
      (await run('curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/')).stdout,
    ).toBe(`Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`);
    expect(
      (await run('curl -s localhost:8001/api/v1/namespaces/default/pods | grep -c \'"kind": "PodList"\''))
        .stdout,
    ).toBe('1\n');
    expect((await run('kubectl proxy')).stderr).toBe(
      'error: listen tcp 127.0.0.1:8001: bind: address already in use\n',
    );
    proxy.controller.abort();
    expect(await proxy.done).toBe(130);
    expect((await run('curl localhost:8001/version')).code).toBe(7);
  });

  it('lists the new commands in help and kubectl help', async () => {
    const { run } = setup();
    expect((await run('help')).stdout).toContain('port-forward, proxy');
    const help = (await run('kubectl')).stdout;
    // kubectl v1.30's own root help (test/oracle checks it byte for byte).
    expect(help).toContain('  port-forward    Forward one or more local ports to a pod\n');
    expect(help).toContain('  proxy           Run a proxy to the Kubernetes API server\n');
  });
});
