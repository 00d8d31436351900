import type { Pod, Service } from '../../api/types';
import { LocalPorts } from '../../terminal/local-ports';
import { runCurl } from '../../terminal/programs';
import { advanceUntil, allRunning, BOOTCAMP_V1, deploymentFor, labCluster } from '../../testing';
import { runKubectl } from '../kubectl';
import { VirtualFiles } from '../virtual-files';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function bootcampPod(name: string, ports: Pod['spec']['containers'][number]['ports'] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name, image: BOOTCAMP_V1, ports }] },
  };
}

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
  /** Runs a command that ends by itself. */
  const kubectl = async (...argv: string[]) => {
    const run = start(argv);
    await run.done;
    return { stdout: run.stdout, stderr: run.stderr, code: run.code };
  };
  /** Starts a command that keeps running and waits until it sleeps on the clock. */
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
  const runningPod = (pod: Pod) => {
    cluster.api.create(pod);
    advanceUntil(cluster, clock, () => allRunning(cluster, pod.metadata.name, 1));
  };
  return { cluster, clock, localPorts, kubectl, background, curl, stop, runningPod };
}

const hello = (pod: string) => `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`;

describe('kubectl port-forward', () => {
  it('forwards a local port to a pod until aborted, printing each connection on its own output', async () => {
    const { runningPod, background, curl, stop, localPorts } = setup();
    runningPod(bootcampPod('web'));
    const pf = await background('port-forward', 'pod/web', '8080:8080');
    expect(pf.stdout).toBe('Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n');
    expect(pf.code).toBeUndefined();
    expect(localPorts.list().map((b) => `${b.address}:${b.port}`)).toEqual(['127.0.0.1:8080', '::1:8080']);

    expect(curl('localhost:8080')).toEqual({ stdout: hello('web'), stderr: '', code: 0 });
    expect(curl('http://127.0.0.1:8080/any/path')).toEqual({ stdout: hello('web'), stderr: '', code: 0 });
    expect(pf.stdout).toBe(
      'Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n' +
        'Handling connection for 8080\nHandling connection for 8080\n',
    );

    await stop(pf);
    expect(pf.code).toBe(130);
    expect(pf.stderr).toBe('');
    expect(localPorts.list()).toEqual([]);
    expect(curl('localhost:8080')).toEqual({
      stdout: '',
      stderr: 'curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused\n',
      code: 7,
    });
  });

  it('takes a bare POD name, several ports, LOCAL=REMOTE shorthand and a random local port', async () => {
    const { runningPod, background, stop, localPorts, cluster } = setup();
    runningPod(bootcampPod('web'));
    const expected = new LocalPorts().pickFree(cluster.seed);
    const pf = await background('port-forward', 'web', '8080', ':8080', '9000:8080');
    expect(pf.stdout).toBe(
      'Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n' +
        `Forwarding from 127.0.0.1:${expected} -> 8080\nForwarding from [::1]:${expected} -> 8080\n` +
        'Forwarding from 127.0.0.1:9000 -> 8080\nForwarding from [::1]:9000 -> 8080\n',
    );
    expect(localPorts.list()).toHaveLength(6);
    await stop(pf);
    expect(localPorts.list()).toEqual([]);
  });

  it('picks the pod of a deployment and translates a service port to the target container port', async () => {
    const { cluster, clock, background, curl, stop } = setup();
    cluster.api.create(deploymentFor('kubernetes-bootcamp', BOOTCAMP_V1, 2));
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        selector: { app: 'kubernetes-bootcamp' },
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
      },
    };
    cluster.api.create(svc);
    advanceUntil(cluster, clock, () => allRunning(cluster, 'kubernetes-bootcamp', 2));

    const byDeployment = await background('port-forward', 'deploy/kubernetes-bootcamp', '9000:8080');
    expect(byDeployment.stdout).toBe(
      'Forwarding from 127.0.0.1:9000 -> 8080\nForwarding from [::1]:9000 -> 8080\n',
    );
    expect(curl('localhost:9000').stdout).toMatch(
      /^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-/,
    );

    const byService = await background('port-forward', 'svc/web', '9001:80', '9002:http');
    expect(byService.stdout).toBe(
      'Forwarding from 127.0.0.1:9001 -> 8080\nForwarding from [::1]:9001 -> 8080\n' +
        'Forwarding from 127.0.0.1:9002 -> 8080\nForwarding from [::1]:9002 -> 8080\n',
    );
    expect(curl('localhost:9001').code).toBe(0);
    await stop(byDeployment);
    await stop(byService);

    const missing = await background('port-forward', 'service/web', '9003:https');
    await missing.done;
    expect(missing.stderr).toBe("error: Service 'web' does not have a named port 'https'\n");
    const unknownPort = await background('port-forward', 'svc/web', '9003:81');
    await unknownPort.done;
    expect(unknownPort.stderr).toBe('error: Service web does not have a service port 81\n');
  });

  it('resolves named container ports and refuses UDP-only ones', async () => {
    const { runningPod, background, kubectl, stop } = setup();
    runningPod(
      bootcampPod('web', [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
      ]),
    );
    const pf = await background('port-forward', 'pod/web', '9000:http');
    expect(pf.stdout).toBe('Forwarding from 127.0.0.1:9000 -> 8080\nForwarding from [::1]:9000 -> 8080\n');
    await stop(pf);
    expect(await kubectl('port-forward', 'pod/web', '9000:web')).toEqual({
      stdout: '',
      stderr: "error: Pod 'web' does not have a named port 'web'\n",
      code: 1,
    });
    expect(await kubectl('port-forward', 'pod/web', '9000:')).toEqual({
      stdout: '',
      stderr: "error: Pod 'web' does not have a named port ''\n",
      code: 1,
    });
    expect(await kubectl('port-forward', 'pod/web', '9000:dns')).toEqual({
      stdout: '',
      stderr: 'error: UDP protocol is not supported for dns\n',
      code: 1,
    });
  });

  it.each([
    [
      ['port-forward'],
      "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n",
    ],
    [
      ['port-forward', 'pod/web'],
      "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n",
    ],
    [['port-forward', 'pod/nope', '80'], 'Error from server (NotFound): pods "nope" not found\n'],
    [['port-forward', 'nope', '80'], 'Error from server (NotFound): pods "nope" not found\n'],
    [
      ['port-forward', 'deploy/nope', '80'],
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    ],
    [['port-forward', 'foo/web', '80'], 'error: the server doesn\'t have a resource type "foo"\n'],
    [
      ['port-forward', 'node/minikube', '80'],
      'error: cannot attach to *v1.Node: selector for *v1.Node not implemented\n',
    ],
    // kubectl's UDP check looks the empty remote port up as a port name before it says the port is empty.
    [['port-forward', 'pod/web', '8080:'], "error: Pod 'web' does not have a named port ''\n"],
    [
      ['port-forward', 'pod/web', 'abc:8080'],
      'error: error parsing local port \'abc\': strconv.ParseUint: parsing "abc": invalid syntax\n',
    ],
    [
      ['port-forward', 'pod/web', '70000:8080'],
      'error: error parsing local port \'70000\': strconv.ParseUint: parsing "70000": value out of range\n',
    ],
    [
      ['port-forward', 'pod/web', '8080:99999'],
      'error: error parsing remote port \'99999\': strconv.ParseUint: parsing "99999": value out of range\n',
    ],
    [['port-forward', 'pod/web', '8080:0'], 'error: remote port must be > 0\n'],
    [['port-forward', 'pod/web', '8080', '--address', 'foo'], 'error: foo is not a valid IP\n'],
    [['port-forward', 'pod/web', '8080', '--address='], 'error: you must specify at least 1 address\n'],
    [
      ['port-forward', 'pod/web', '8080', '--pod-running-timeout=0'],
      "error: --pod-running-timeout must be higher than zero\nSee 'kubectl port-forward -h' for help and examples\n",
    ],
    [
      ['port-forward', 'pod/web', '8080', '--pod-running-timeout=abc'],
      'error: invalid argument "abc" for "--pod-running-timeout" flag: time: invalid duration "abc"\nSee \'kubectl port-forward --help\' for usage.\n',
    ],
    [
      ['port-forward', 'pod/web', '8080', '--bogus'],
      "error: unknown flag: --bogus\nSee 'kubectl port-forward --help' for usage.\n",
    ],
  ])('kubectl %j fails as kubectl does', async (argv, stderr) => {
    const { runningPod, kubectl, localPorts } = setup();
    runningPod(bootcampPod('web'));
    expect(await kubectl(...argv)).toEqual({ stdout: '', stderr, code: 1 });
    expect(localPorts.list()).toEqual([]);
  });

  it('says an empty remote port is empty when the pod has an unnamed port', async () => {
    const { runningPod, kubectl } = setup();
    runningPod(bootcampPod('web', [{ containerPort: 8080 }]));
    expect(await kubectl('port-forward', 'pod/web', '9000:')).toEqual({
      stdout: '',
      stderr: 'error: remote port cannot be empty\n',
      code: 1,
    });
  });

  it('refuses a pod that is not running', async () => {
    const { cluster, kubectl } = setup();
    cluster.api.create(bootcampPod('web'));
    expect(await kubectl('port-forward', 'web', '8080')).toEqual({
      stdout: '',
      stderr: 'error: unable to forward port because pod is not running. Current status=Pending\n',
      code: 1,
    });
  });

  it('cannot listen on a port another port-forward holds, a privileged port or a foreign address', async () => {
    const { runningPod, background, kubectl, stop, localPorts } = setup();
    runningPod(bootcampPod('web'));
    const first = await background('port-forward', 'pod/web', '8080:8080');
    expect(await kubectl('port-forward', 'pod/web', '8080:80')).toEqual({
      stdout: '',
      stderr:
        'Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use unable to create listener: Error listen tcp6 [::1]:8080: bind: address already in use]\n' +
        'error: unable to listen on any of the requested ports: [{8080 80}]\n',
      code: 1,
    });
    expect(await kubectl('port-forward', 'pod/web', '80:8080')).toEqual({
      stdout: '',
      stderr:
        'Unable to listen on port 80: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:80: bind: permission denied unable to create listener: Error listen tcp6 [::1]:80: bind: permission denied]\n' +
        'error: unable to listen on any of the requested ports: [{80 8080}]\n',
      code: 1,
    });
    expect(await kubectl('port-forward', '--address', '10.19.21.23', 'pod/web', '8081:8080')).toEqual({
      stdout: '',
      stderr:
        'Unable to listen on port 8081: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 10.19.21.23:8081: bind: cannot assign requested address]\n' +
        'error: unable to listen on any of the requested ports: [{8081 8080}]\n',
      code: 1,
    });
    // One busy port of two: kubectl reports it and forwards the other.
    const second = await background('port-forward', 'pod/web', '8080', '8082:8080');
    expect(second.stderr).toMatch(/^Unable to listen on port 8080: /);
    expect(second.stdout).toBe(
      'Forwarding from 127.0.0.1:8082 -> 8080\nForwarding from [::1]:8082 -> 8080\n',
    );
    expect(second.code).toBeUndefined();
    await stop(first);
    await stop(second);
    expect(localPorts.list()).toEqual([]);
  });

  it('listens on the addresses --address names, in address order', async () => {
    const { runningPod, background, stop, curl } = setup();
    runningPod(bootcampPod('web'));
    const pf = await background('port-forward', '--address', '::1,127.0.0.1', 'pod/web', '8080');
    expect(pf.stdout).toBe('Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n');
    await stop(pf);
    const all = await background('port-forward', '--address=0.0.0.0', 'pod/web', '8080');
    expect(all.stdout).toBe('Forwarding from 0.0.0.0:8080 -> 8080\n');
    expect(curl('localhost:8080').code).toBe(0);
    await stop(all);
  });

  it('ends with "lost connection to pod" when the pod refuses a forwarded connection', async () => {
    const { runningPod, background, curl, localPorts, clock } = setup();
    runningPod(bootcampPod('web'));
    const pf = await background('port-forward', 'pod/web', '8080:80');
    expect(curl('localhost:8080')).toEqual({
      stdout: '',
      stderr: 'curl: (52) Empty reply from server\n',
      code: 52,
    });
    await pf.done;
    expect(pf.code).toBe(1);
    expect(pf.stdout).toBe(
      'Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\nHandling connection for 8080\n',
    );
    const stamp = new Date(clock.now()).toISOString();
    const [mmdd, time, date] = [
      stamp.slice(5, 7) + stamp.slice(8, 10),
      stamp.slice(11, 23),
      stamp.slice(0, 10).replace(/-/g, '/'),
    ];
    expect(pf.stderr).toMatch(
      new RegExp(
        `^E${mmdd} ${time.replace('.', '\\.')}000 {3}\\d{5} portforward\\.go:413\\] an error occurred forwarding 8080 -> 80: ` +
          `error forwarding port 80 to pod [0-9a-f]{64}, uid : exit status 1: ${date} ${time.slice(0, 8)} ` +
          `socat\\[\\d+\\] E connect\\(5, AF=2 127\\.0\\.0\\.1:80, 16\\): Connection refused\\n` +
          'error: lost connection to pod\\n$',
      ),
    );
    expect(localPorts.list()).toEqual([]);
  });
});
