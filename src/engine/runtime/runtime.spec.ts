import { StatusError } from '../api/status-error';
import type { Pod, Service } from '../api/types';
import {
  advanceUntil,
  allRunning,
  BOOTCAMP_V1,
  BOOTCAMP_V2,
  deploymentFor,
  labCluster,
  labWithApp,
  podsOf,
} from '../testing';

function nodePort(svc: Service): number {
  return svc.spec.ports![0].nodePort!;
}

describe('cluster network', () => {
  it('round-robins NodePort requests over the ready pods with the bootcamp reply', () => {
    const { cluster } = labWithApp(3);
    const svc = cluster.api.get<Service>('services', 'default', 'yanwei');
    const replies = Array.from({ length: 6 }, () => cluster.network.httpGet(cluster.nodeIp, nodePort(svc)));
    const names = podsOf(cluster, 'yanwei.app').map((p) => p.metadata.name);
    const bodies = replies.map((r) => (r.ok ? r.body : r.error));
    for (const body of bodies)
      expect(body).toMatch(
        /^Hello Kubernetes bootcamp! \| Running on: yanwei\.app-[4-9bcdf]+-[a-z0-9]{5} \| v=1\n$/,
      );
    expect(new Set(bodies).size).toBe(3);
    expect(bodies.slice(0, 3)).toEqual(bodies.slice(3));
    for (const name of names)
      expect(bodies).toContain(`Hello Kubernetes bootcamp! | Running on: ${name} | v=1\n`);
  });

  it('reaches the service by ClusterIP and DNS name, and a pod directly by IP', () => {
    const { cluster } = labWithApp(1);
    const svc = cluster.api.get<Service>('services', 'default', 'yanwei');
    const [pod] = podsOf(cluster, 'yanwei.app');
    const expected = {
      ok: true,
      status: 200,
      body: `Hello Kubernetes bootcamp! | Running on: ${pod.metadata.name} | v=1\n`,
    };
    expect(cluster.network.httpGet(svc.spec.clusterIP!, 8080)).toEqual(expected);
    expect(cluster.network.httpGet('yanwei.default.svc.cluster.local', 8080)).toEqual(expected);
    expect(cluster.network.httpGet(pod.status!.podIP!, 8080)).toEqual(expected);
    expect(cluster.network.httpGet(pod.status!.podIP!, 80)).toEqual({ ok: false, error: 'refused' });
    expect(cluster.network.httpGet('nope', 80)).toEqual({ ok: false, error: 'unresolved' });
    expect(cluster.network.httpGet(cluster.nodeIp, 31999 === nodePort(svc) ? 31998 : 31999)).toEqual({
      ok: false,
      error: 'refused',
    });
  });

  it('refuses connections when no endpoint is ready, and after the service is deleted', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
    const svc = cluster.api.create<Service>({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'yanwei' },
      spec: { type: 'NodePort', selector: { app: 'yanwei.app' }, ports: [{ protocol: 'TCP', port: 8080 }] },
    });
    expect(cluster.network.httpGet(cluster.nodeIp, nodePort(svc))).toEqual({ ok: false, error: 'refused' });
    advanceUntil(cluster, clock, () => allRunning(cluster, 'yanwei.app', 1), 60_000);
    expect(cluster.network.httpGet(cluster.nodeIp, nodePort(svc)).ok).toBe(true);
    cluster.api.delete('services', 'default', 'yanwei');
    expect(cluster.network.httpGet(cluster.nodeIp, nodePort(svc))).toEqual({ ok: false, error: 'refused' });
  });

  it('serves v=2 after the rolling update', () => {
    const { cluster, clock } = labWithApp(3);
    const d = cluster.api.get('deployments', 'default', 'yanwei.app') as ReturnType<typeof deploymentFor>;
    d.spec.template.spec.containers[0].image = BOOTCAMP_V2;
    cluster.api.update(d);
    advanceUntil(
      cluster,
      clock,
      () =>
        podsOf(cluster, 'yanwei.app').every(
          (p) => p.spec.containers[0].image === BOOTCAMP_V2 && p.status?.phase === 'Running',
        ) && podsOf(cluster, 'yanwei.app').length === 3,
      180_000,
    );
    const svc = cluster.api.get<Service>('services', 'default', 'yanwei');
    const reply = cluster.network.httpGet(cluster.nodeIp, nodePort(svc));
    expect(reply.ok && reply.body.endsWith(' | v=2\n')).toBe(true);
  });
});

describe('container runtime', () => {
  function runningPod(): { cluster: ReturnType<typeof labWithApp>['cluster']; pod: Pod } {
    const { cluster } = labWithApp(1);
    return { cluster, pod: podsOf(cluster, 'yanwei.app')[0] };
  }

  it('runs the commands of the lab inside the bootcamp container', () => {
    const { cluster, pod } = runningPod();
    const name = pod.metadata.name;
    const exec = (...argv: string[]) => cluster.runtime.exec('default', name, undefined, argv);
    expect(exec('hostname')).toEqual({ stdout: `${name}\n`, stderr: '', exitCode: 0 });
    const env = exec('env').stdout;
    expect(env).toContain(`HOSTNAME=${name}\n`);
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(env.startsWith('PATH=/usr/local/sbin')).toBe(true);
    const ps = exec('ps', '-elf').stdout.split('\n');
    expect(ps[0]).toBe('F S UID        PID  PPID  C PRI  NI ADDR SZ WCHAN  STIME TTY          TIME CMD');
    expect(ps[1]).toMatch(
      /^4 S root {9}1 {5}0  0  80   0 - {2}\d+ - {6}\d\d:\d\d \? {8}00:00:00 \/bin\/sh -c node server\.js$/,
    );
    expect(ps[2]).toContain('node server.js');
    expect(ps.at(-2)).toMatch(
      /^0 R root {8}2\d {5}0  0  80   0 - {2}4358 - {6}\d\d:\d\d \? {8}00:00:00 ps -elf$/,
    );
    const tty = cluster.runtime
      .exec('default', name, undefined, ['ps', '-ef'], { tty: true })
      .stdout.split('\n');
    expect(tty.at(-3)).toMatch(/^root {8}14 {5}0  0 \d\d:\d\d pts\/0 {4}00:00:00 \/bin\/bash$/);
    expect(tty.at(-2)).toMatch(/^root {8}2\d {4}14  0 \d\d:\d\d pts\/0 {4}00:00:00 ps -ef$/);
    expect(exec('ps', 'aux').stdout.split('\n')[0]).toBe(
      'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
    );
    expect(exec('ls').stdout.split('\n')).toContain('server.js');
    const source = exec('cat', 'server.js').stdout;
    expect(source).toContain("require('http')");
    expect(source).toContain('Hello Kubernetes bootcamp! | Running on: ');
    expect(exec('more', 'server.js').stdout).toBe(source);
    expect(exec('curl', 'localhost:8080').stdout).toBe(
      `Hello Kubernetes bootcamp! | Running on: ${name} | v=1\n`,
    );
    expect(exec('curl', 'localhost:8081')).toEqual({
      stdout: '',
      stderr: 'curl: (7) Failed to connect to localhost port 8081: Connection refused\n',
      exitCode: 7,
    });
    expect(exec('echo', 'hi', 'there').stdout).toBe('hi there\n');
    expect(exec('pwd').stdout).toBe('/\n');
    expect(exec('whoami').stdout).toBe('root\n');
    expect(exec('date').stdout).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d UTC \d{4}\n$/,
    );
    // Without a shell, the runtime cannot start a program the image lacks (docker's exec error, exit 126).
    expect(exec('foo')).toEqual({
      stdout: '',
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown\n',
      exitCode: 126,
    });
    expect(exec('bash', '-c', 'foo')).toEqual({
      stdout: '',
      stderr: 'bash: foo: command not found\n',
      exitCode: 127,
    });
    expect(exec('bash', '-c', 'echo a && false || echo b; exit 3')).toEqual({
      stdout: 'a\nb\n',
      stderr: '',
      exitCode: 3,
    });
    expect(cluster.runtime.exec('default', name, undefined, ['ps'], { tty: true }).stdout).toMatch(
      /^  PID TTY {10}TIME CMD\n +\d+ pts\/0 +00:00:00 bash\n +\d+ pts\/0 +00:00:00 ps\n$/,
    );
  });

  it('logs the start line and one line per request', () => {
    const { cluster, pod } = runningPod();
    const name = pod.metadata.name;
    cluster.network.httpGet(pod.status!.podIP!, 8080);
    cluster.runtime.exec('default', name, undefined, ['curl', 'localhost:8080']);
    const lines = cluster.runtime.logs('default', name).split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Kubernetes Bootcamp App Started At: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\| Running On:  ${name.replace(/\./g, '\\.')} $`,
      ),
    );
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(
      /^Running On: .* \| Total Requests: 1 \| App Uptime: [\d.]+ seconds \| Log Time: .*Z$/,
    );
    expect(lines[3]).toContain('| Total Requests: 2 |');
  });

  it('rejects exec and logs for missing or not-running containers', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('yanwei.app', BOOTCAMP_V1));
    clock.advance(2000);
    const [pod] = podsOf(cluster, 'yanwei.app');
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as StatusError).status;
      }
      return undefined;
    };
    expect(error(() => cluster.runtime.exec('default', 'nope', undefined, ['ls']))).toMatchObject({
      reason: 'NotFound',
      message: 'pods "nope" not found',
    });
    expect(error(() => cluster.runtime.exec('default', pod.metadata.name, undefined, ['ls']))).toMatchObject({
      reason: 'BadRequest',
      message: 'unable to upgrade connection: container not found ("kubernetes-bootcamp")',
    });
    expect(error(() => cluster.runtime.logs('default', pod.metadata.name))).toMatchObject({
      message: `container "kubernetes-bootcamp" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    });
  });
});

describe('other images', () => {
  it('serves the nginx welcome page on port 80 and logs the request', () => {
    const { cluster, clock } = labCluster();
    cluster.api.create(deploymentFor('web', 'nginx:1.25'));
    advanceUntil(cluster, clock, () => allRunning(cluster, 'web', 1), 60_000);
    const [pod] = podsOf(cluster, 'web');
    const reply = cluster.network.httpGet(pod.status!.podIP!, 80);
    expect(reply.ok && reply.body.includes('<title>Welcome to nginx!</title>')).toBe(true);
    expect(cluster.runtime.logs('default', pod.metadata.name)).toMatch(
      /"GET \/ HTTP\/1\.1" 200 615 "-" "curl\/7\.81\.0" "-"\n$/,
    );
    expect(
      cluster.runtime.exec('default', pod.metadata.name, undefined, ['ls']).stdout.split('\n'),
    ).not.toContain('server.js');
  });

  it('has CoreDNS start-up logs, and no bash in busybox', () => {
    const { cluster, clock } = labCluster();
    const coredns = cluster.api.list<Pod>('pods', {
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-dns',
    })[0];
    expect(cluster.runtime.logs('kube-system', coredns.metadata.name)).toContain('CoreDNS-1.11.1\n');
    const d = deploymentFor('bb', 'busybox');
    d.spec.template.spec.containers[0].command = ['sleep', '3600'];
    cluster.api.create(d);
    advanceUntil(cluster, clock, () => allRunning(cluster, 'bb', 1), 60_000);
    const [bb] = podsOf(cluster, 'bb');
    expect(cluster.runtime.exec('default', bb.metadata.name, undefined, ['bash'])).toEqual({
      stdout: '',
      stderr:
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\n',
      exitCode: 126,
    });
    expect(cluster.runtime.exec('default', bb.metadata.name, undefined, ['sh', '-c', 'echo hi']).stdout).toBe(
      'hi\n',
    );
  });
});
