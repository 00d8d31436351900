import type { KubeObject } from '../../api/types';
import { LocalPorts } from '../../terminal/local-ports';
import { runCurl } from '../../terminal/programs';
import {
  advanceUntil,
  allRunning,
  BOOTCAMP_V1,
  deploymentFor,
  labCluster,
  nodePortServiceFor,
  podsOf,
} from '../../testing';
import { runKubectl } from '../kubectl';
import { VirtualFiles } from '../virtual-files';

const tick = () => new Promise((resolve) => setImmediate(resolve));

interface Run {
  stdout: string;
  stderr: string;
  code: number | undefined;
  controller: AbortController;
  done: Promise<number>;
}

function setup() {
  const { cluster, clock } = labCluster();
  const localPorts = new LocalPorts();
  cluster.api.create(deploymentFor('kubernetes-bootcamp', BOOTCAMP_V1, 2));
  cluster.api.create(nodePortServiceFor('kubernetes-bootcamp', 'kubernetes-bootcamp'));
  advanceUntil(cluster, clock, () => allRunning(cluster, 'kubernetes-bootcamp', 2));
  const start = (argv: string[]): Run => {
    const controller = new AbortController();
    const run = { stdout: '', stderr: '', code: undefined, controller } as Run;
    run.done = runKubectl(argv, {
      cluster,
      files: new VirtualFiles(),
      interactive: true,
      localPorts,
      signal: controller.signal,
      stdout: (chunk) => (run.stdout += chunk),
      stderr: (chunk) => (run.stderr += chunk),
    }).then((code) => (run.code = code));
    return run;
  };
  const kubectl = async (...argv: string[]) => {
    const run = start(argv);
    await run.done;
    return { stdout: run.stdout, stderr: run.stderr, code: run.code };
  };
  const background = async (...argv: string[]) => {
    const run = start(argv);
    for (let i = 0; i < 50 && run.code === undefined && clock.pendingSleeps() === 0; i++) await tick();
    return run;
  };
  const curl = (...args: string[]) => {
    const result = { stdout: '', stderr: '', code: 0 };
    result.code = runCurl(
      cluster,
      args,
      { stdout: (c) => (result.stdout += c), stderr: (c) => (result.stderr += c) },
      localPorts,
    );
    return result;
  };
  const stop = async (run: Run) => {
    run.controller.abort();
    await run.done;
  };
  return { cluster, localPorts, kubectl, background, curl, stop };
}

const notFound = (message: string, details: string) =>
  `{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n  "message": ${JSON.stringify(message)},\n  "reason": "NotFound",\n  "details": ${details},\n  "code": 404\n}`;

describe('kubectl proxy', () => {
  it('serves on 127.0.0.1:8001 until aborted', async () => {
    const { background, stop, localPorts, curl } = setup();
    const proxy = await background('proxy');
    expect(proxy.stdout).toBe('Starting to serve on 127.0.0.1:8001\n');
    expect(proxy.code).toBeUndefined();
    expect(localPorts.list()).toEqual([{ address: '127.0.0.1', port: 8001, owner: 'kubectl proxy' }]);
    expect(curl('localhost:8001/healthz')).toEqual({ stdout: 'ok', stderr: '', code: 0 });
    await stop(proxy);
    expect(proxy.code).toBe(130);
    expect(proxy.stdout).toBe('Starting to serve on 127.0.0.1:8001\n');
    expect(localPorts.list()).toEqual([]);
    expect(curl('localhost:8001/healthz').code).toBe(7);
  });

  it('answers /version with the server version kubectl version -o json reports', async () => {
    const { background, stop, curl, kubectl } = setup();
    const proxy = await background('proxy');
    const version = JSON.parse((await kubectl('version', '-o', 'json')).stdout as string) as {
      serverVersion: unknown;
    };
    const served = curl('http://localhost:8001/version');
    expect(served.stdout).toBe(JSON.stringify(version.serverVersion, null, 2));
    expect(served.stdout).toMatch(
      /^\{\n {2}"major": "1",\n {2}"minor": "30",\n {2}"gitVersion": "v1\.30\.0",/,
    );
    await stop(proxy);
  });

  it('lists and gets objects as the API server encodes them', async () => {
    const { cluster, background, stop, curl, kubectl } = setup();
    const proxy = await background('proxy');
    const list = curl('localhost:8001/api/v1/namespaces/default/pods');
    expect(list.stdout).toMatch(
      /^\{\n {2}"kind": "PodList",\n {2}"apiVersion": "v1",\n {2}"metadata": \{\n {4}"resourceVersion": "\d+"\n {2}\},\n {2}"items": \[\n/,
    );
    expect(list.stdout.endsWith('}')).toBe(true);
    const parsed = JSON.parse(list.stdout) as { metadata: { resourceVersion: string }; items: unknown[] };
    expect(parsed.metadata.resourceVersion).toBe(String(cluster.revision));
    // The items are what `kubectl get -o json` prints, without the TypeMeta a typed list leaves off its items.
    const viaKubectl = JSON.parse((await kubectl('get', 'pods', '-o', 'json')).stdout as string) as {
      items: Record<string, unknown>[];
    };
    expect(parsed.items).toEqual(viaKubectl.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest));

    const name = podsOf(cluster, 'kubernetes-bootcamp')[0].metadata.name;
    const pod = curl(`localhost:8001/api/v1/namespaces/default/pods/${name}`).stdout;
    expect(pod).toMatch(/^\{\n {2}"kind": "Pod",\n {2}"apiVersion": "v1",\n {2}"metadata": \{\n {4}"name": /);
    expect((JSON.parse(pod) as KubeObject).metadata.name).toBe(name);

    expect(JSON.parse(curl('localhost:8001/api/v1/namespaces/default/services').stdout)).toMatchObject({
      kind: 'ServiceList',
      items: [{ metadata: { name: 'kubernetes' } }, { metadata: { name: 'kubernetes-bootcamp' } }],
    });
    expect(
      JSON.parse(curl('localhost:8001/apis/apps/v1/namespaces/default/deployments').stdout),
    ).toMatchObject({
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      items: [{ metadata: { name: 'kubernetes-bootcamp' } }],
    });
    expect(
      JSON.parse(
        curl('localhost:8001/apis/apps/v1/namespaces/default/deployments/kubernetes-bootcamp').stdout,
      ),
    ).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', spec: { replicas: 2 } });
    expect(JSON.parse(curl('localhost:8001/api/v1/nodes').stdout)).toMatchObject({
      kind: 'NodeList',
      items: [{ metadata: { name: 'minikube' } }],
    });
    expect(
      JSON.parse(curl('localhost:8001/api/v1/pods?labelSelector=app%3Dkubernetes-bootcamp').stdout).items,
    ).toHaveLength(2);
    expect(JSON.parse(curl('localhost:8001/api/v1/namespaces/nope/pods').stdout).items).toEqual([]);
    expect(JSON.parse(curl('localhost:8001/api/v1/namespaces/kube-system').stdout)).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'kube-system' },
    });
    await stop(proxy);
  });

  it("answers with Kubernetes' 404 Status for unknown objects and paths", async () => {
    const { background, stop, curl } = setup();
    const proxy = await background('proxy');
    expect(curl('localhost:8001/api/v1/namespaces/default/pods/nope')).toEqual({
      stdout: notFound('pods "nope" not found', '{\n    "name": "nope",\n    "kind": "pods"\n  }'),
      stderr: '',
      code: 0,
    });
    expect(curl('localhost:8001/apis/apps/v1/namespaces/default/deployments/nope').stdout).toBe(
      notFound(
        'deployments.apps "nope" not found',
        '{\n    "name": "nope",\n    "group": "apps",\n    "kind": "deployments"\n  }',
      ),
    );
    const generic = notFound('the server could not find the requested resource', '{}');
    for (const path of ['/foo', '/api/v1/foos', '/apis/apps/v1/namespaces/default/pods', '/api/v1/pods/x'])
      expect(curl(`localhost:8001${path}`).stdout).toBe(generic);
    expect(curl('-i', 'localhost:8001/foo').stdout).toMatch(
      /^HTTP\/1\.1 404 Not Found\r\nContent-Type: application\/json\r\n/,
    );
    await stop(proxy);
  });

  it('proxies to a pod port and to a service, as in the Kubernetes basics tutorial', async () => {
    const { cluster, background, stop, curl } = setup();
    const proxy = await background('proxy');
    const pod = podsOf(cluster, 'kubernetes-bootcamp')[0];
    expect(
      curl(`http://localhost:8001/api/v1/namespaces/default/pods/${pod.metadata.name}:8080/proxy/`).stdout,
    ).toBe(`Hello Kubernetes bootcamp! | Running on: ${pod.metadata.name} | v=1\n`);
    expect(
      JSON.parse(curl(`localhost:8001/api/v1/namespaces/default/pods/${pod.metadata.name}/proxy/`).stdout),
    ).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `error trying to reach service: dial tcp ${pod.status?.podIP}:80: connect: connection refused`,
      reason: 'ServiceUnavailable',
      code: 503,
    });
    expect(
      curl('localhost:8001/api/v1/namespaces/default/services/kubernetes-bootcamp/proxy/').stdout,
    ).toMatch(/^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-/);
    expect(curl(`localhost:8001/api/v1/namespaces/default/pods/${pod.metadata.name}/log`).stdout).toMatch(
      /^Kubernetes Bootcamp App Started At: /,
    );
    await stop(proxy);
  });

  it('rejects what its request filter rejects', async () => {
    const { background, stop, curl } = setup();
    const proxy = await background('proxy');
    expect(curl('localhost:8001/api/v1/namespaces/default/pods/x/exec')).toEqual({
      stdout: 'Forbidden\n',
      stderr: '',
      code: 0,
    });
    // Listening on 127.0.0.1 only: another loopback address is refused.
    expect(curl('127.0.0.2:8001/version').code).toBe(7);
    await stop(proxy);
    const everywhere = await background('proxy', '--address=0.0.0.0');
    expect(everywhere.stdout).toBe('Starting to serve on [::]:8001\n');
    expect(curl('localhost:8001/healthz').stdout).toBe('ok');
    expect(curl('127.0.0.2:8001/healthz').stdout).toBe('Forbidden\n');
    await stop(everywhere);
    const open = await background('proxy', '--address=0.0.0.0', '--accept-hosts=.*');
    expect(curl('127.0.0.2:8001/healthz').stdout).toBe('ok');
    await stop(open);
  });

  it('takes --port, --port=0 and --api-prefix, and fails on a busy port', async () => {
    const { background, stop, curl, kubectl, localPorts, cluster } = setup();
    const first = await background('proxy');
    expect(await kubectl('proxy')).toEqual({
      stdout: '',
      stderr: 'error: listen tcp 127.0.0.1:8001: bind: address already in use\n',
      code: 1,
    });
    expect(await kubectl('proxy', '--port=80')).toEqual({
      stdout: '',
      stderr: 'error: listen tcp 127.0.0.1:80: bind: permission denied\n',
      code: 1,
    });
    const other = await background('proxy', '-p', '8011', '--api-prefix=/k8s-api');
    expect(other.stdout).toBe('Starting to serve on 127.0.0.1:8011\n');
    expect(curl('localhost:8011/k8s-api/healthz').stdout).toBe('ok');
    expect(curl('localhost:8011/healthz').stdout).toBe('404 page not found\n');
    const random = await background('proxy', '--port=0');
    const port = new LocalPorts().pickFree(cluster.seed);
    expect(random.stdout).toBe(`Starting to serve on 127.0.0.1:${port}\n`);
    for (const run of [first, other, random]) await stop(run);
    expect(localPorts.list()).toEqual([]);
  });

  it.each([
    [['proxy', '--bogus'], "error: unknown flag: --bogus\nSee 'kubectl proxy --help' for usage.\n"],
    [
      ['proxy', '--keepalive=x'],
      'error: invalid argument "x" for "--keepalive" flag: time: invalid duration "x"\nSee \'kubectl proxy --help\' for usage.\n',
    ],
    [['proxy', '--port', '70000'], 'error: listen tcp: address 70000: invalid port\n'],
    [['proxy', '--address=::1'], 'error: listen tcp: address ::1:8001: too many colons in address\n'],
    [
      ['proxy', '--unix-socket=/tmp/x', '--port=9'],
      'error: cannot set --unix-socket and --port at the same time\n',
    ],
  ])('kubectl %j fails as kubectl does', async (argv, stderr) => {
    const { kubectl } = setup();
    expect(await kubectl(...argv)).toEqual({ stdout: '', stderr, code: 1 });
  });
});
