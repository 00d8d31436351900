import type { ClusterDriver, ExecInput, OutputSink } from './cluster-driver';
import { DockerClusterDriver } from './docker/docker-cluster-driver';
import { dockerSettingsFromEnv } from './docker/docker-settings';
import { EmbeddedClusterDriver } from './embedded/embedded-cluster.driver';
import { BadDriver, FakeDriver, NeverReadyDriver, SlowDriver } from './testing/fake-drivers';

const request = { clusterId: 'c1', labSessionId: 's1', ownerId: 'u1', nodeCount: 1 };

function collect(): OutputSink & { out: string } {
  const sink = {
    out: '',
    stdout: (chunk: string) => void (sink.out += chunk),
    stderr: (chunk: string) => void (sink.out += chunk),
  };
  return sink;
}

function typed(lines: string[]): ExecInput {
  return { readLine: async () => lines.shift() ?? null };
}

/** What every driver's declared capabilities promise about its methods. */
function expectConsistent(driver: ClusterDriver): void {
  const { multiHost } = driver.capabilities;
  expect(typeof driver.hostFor === 'function' && typeof driver.hostIds === 'function').toBe(multiHost);
}

describe('driver capabilities', () => {
  it('embedded: state in snapshots, versions, one host, typed input and background runs', () => {
    const driver = new EmbeddedClusterDriver();
    expect(driver.capabilities).toEqual({
      restoresFromSnapshot: true,
      stateVersions: true,
      multiHost: false,
      clustersLiveIn: 'process',
      interactiveInput: true,
      backgroundRuns: true,
      homeFiles: true,
      kubernetesApi: true,
    });
    expectConsistent(driver);
    // The student's own kubectl (issue 20) is served through serveApi.
    expect(typeof driver.serveApi).toBe('function');
  });

  it('docker: state in containers, several hosts, no typed input; background runs only where nodes run lines at once', async () => {
    const kubelab = new DockerClusterDriver(dockerSettingsFromEnv({}));
    expect(kubelab.capabilities).toEqual({
      restoresFromSnapshot: false,
      stateVersions: false,
      multiHost: true,
      clustersLiveIn: 'host',
      interactiveInput: false,
      // The node agent runs one line at a time.
      backgroundRuns: false,
      // The agent's terminal keeps the session's home in the control plane's volume, synced through exec.
      homeFiles: true,
      editorPane: true,
      // The agent serves the cluster's API on the container's loopback, reached through exec'd bridges.
      kubernetesApi: true,
    });
    expectConsistent(kubelab);
    expect(await kubelab.snapshot()).toBeNull();
    // k3s nodes: each line is its own `docker exec` of kubectl.
    const k3s = new DockerClusterDriver(dockerSettingsFromEnv({ NODE_IMAGE: 'k3s' }));
    expect(k3s.capabilities.backgroundRuns).toBe(true);
    // A bare kubectl per line has no terminal, so no home.
    expect(k3s.capabilities.homeFiles).toBe(false);
    expect(k3s.capabilities.editorPane).toBeFalsy();
    expect(k3s.capabilities.kubernetesApi).toBe(false);
    await Promise.all([kubelab.close(), k3s.close()]);
  });

  it('embedded: exec accepts typed input beside the line', async () => {
    const driver = new EmbeddedClusterDriver({ seed: 7 });
    const ref = await driver.provision(request, () => undefined);
    const sink = collect();
    const { exitCode } = await driver.exec(
      ref,
      'kubectl get nodes -o name',
      sink,
      new AbortController().signal,
      typed([]),
    );
    expect(exitCode).toBe(0);
    expect(sink.out).toBe('node/minikube\n');
  });
});

describe('fake drivers', () => {
  it('FakeDriver echoes, answers canned replies, feeds typed input to `cat` and records calls', async () => {
    const driver = new FakeDriver({ replies: { false: { stderr: 'no\n', exitCode: 1 } } });
    const ref = await driver.provision(request, () => undefined);
    const signal = new AbortController().signal;
    const echo = collect();
    expect((await driver.exec(ref, 'kubectl get pods', echo, signal)).exitCode).toBe(0);
    expect(echo.out).toBe('kubectl get pods\n');
    expect((await driver.exec(ref, 'false', collect(), signal)).exitCode).toBe(1);
    const cat = collect();
    expect((await driver.exec(ref, 'cat', cat, signal, typed(['one', 'two']))).exitCode).toBe(0);
    expect(cat.out).toBe('one\ntwo\n');
    expect(driver.callsOf('exec').map((call) => call.line)).toEqual(['kubectl get pods', 'false', 'cat']);
    expect((await driver.snapshot(ref))?.version).toBe('v3');
  });

  it('FakeDriver: `sleep` runs until aborted, beside other runs', async () => {
    const driver = new FakeDriver();
    const ref = await driver.provision(request, () => undefined);
    const abort = new AbortController();
    const sleeping = driver.exec(ref, 'sleep', collect(), abort.signal);
    expect((await driver.exec(ref, 'echo hi', collect(), new AbortController().signal)).exitCode).toBe(0);
    abort.abort();
    expect((await sleeping).exitCode).toBe(130);
  });

  it('SlowDriver starts after its delay; an exec aborted while waiting exits 130', async () => {
    const driver = new SlowDriver({ provisionMs: 60, execMs: 1000 });
    const provisioning = driver.provision(request, () => undefined);
    expect(await driver.status({ clusterId: 'c1', attachState: {} })).toBe('starting');
    const ref = await provisioning;
    expect(await driver.status(ref)).toBe('ready');
    const abort = new AbortController();
    const run = driver.exec(ref, 'kubectl get pods', collect(), abort.signal);
    abort.abort();
    expect((await run).exitCode).toBe(130);
  });

  it('SlowDriver runs on a controllable clock', async () => {
    const waits: (() => void)[] = [];
    const driver = new SlowDriver({ wait: () => new Promise<void>((resolve) => waits.push(resolve)) });
    let ready = false;
    const provisioning = driver.provision(request, () => undefined).then((ref) => ((ready = true), ref));
    await Promise.resolve();
    expect(ready).toBe(false);
    waits.shift()!();
    await provisioning;
    expect(ready).toBe(true);
  });

  it('NeverReadyDriver never settles and stays starting; BadDriver rejects and holds nothing', async () => {
    const never = new NeverReadyDriver();
    const outcome = await Promise.race([
      never.provision(request, () => undefined).then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 50)),
    ]);
    expect(outcome).toBe('pending');
    expect(await never.status({ clusterId: 'c1', attachState: {} })).toBe('starting');

    const bad = new BadDriver('broken');
    await expect(bad.provision(request)).rejects.toThrow('broken');
    const ref = { clusterId: 'c1', attachState: {} };
    await expect(bad.exec(ref, 'kubectl get pods')).rejects.toThrow('broken');
    expect(await bad.status(ref)).toBe('failed');
    expect(await bad.list()).toEqual([]);
  });
});
