import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import type { Cluster } from '../../src/engine/cluster';
import { completions, LabTerminal } from '../../src/engine/terminal';

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

function setup(): {
  cluster: Cluster;
  clock: ManualClock;
  terminal: LabTerminal;
  run(line: string, signal?: AbortSignal): Promise<Result>;
  drive<T>(pending: Promise<T>): Promise<T>;
} {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const cluster = createCluster({ seed: 7, clock });
  const terminal = new LabTerminal(cluster);
  const run = async (line: string, signal?: AbortSignal) => {
    const result = { stdout: '', stderr: '', code: 0 };
    result.code = await terminal.run(line, {
      stdout: (c) => (result.stdout += c),
      stderr: (c) => (result.stderr += c),
      signal,
    });
    return result;
  };
  /** Moves the ManualClock to the cluster's next due time while `pending` waits on it (as the transcript runner does). */
  const drive = async <T>(pending: Promise<T>): Promise<T> => {
    let done = false;
    void pending.then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      const due = cluster.nextDueAt();
      if (!done && clock.pendingSleeps() > 0)
        clock.set(due !== undefined && due > clock.now() ? due : clock.now() + 1000);
    }
    return pending;
  };
  return { cluster, clock, terminal, run, drive };
}

const deploymentNames = (cluster: Cluster) =>
  cluster.api.list('deployments', { namespace: 'default' }).map((d) => d.metadata.name);

describe('LabTerminal: lines are checked completely before anything runs', () => {
  it.each([
    [
      'kubectl create deployment evil --image=nginx; rm -rf /',
      2,
      "';' is not available in this lab terminal",
    ],
    ['kubectl create deployment evil --image=nginx && echo done', 2, "'&&' is not available"],
    ['kubectl create deployment evil --image=nginx || true', 2, "'||' is not available"],
    [
      'kubectl create deployment evil --image=nginx > /tmp/x',
      1,
      'bash: /tmp/x: outside the home directory: files in this lab terminal live in /home/student',
    ],
    ['kubectl create deployment evil --image=nginx 2> err', 2, "redirection ('2>') is not available"],
    ['kubectl create deployment evil --image=nginx > a | grep x', 2, 'a redirection before a pipe'],
    ['kubectl create deployment evil --image=nginx < pods.yaml', 2, "redirection ('<') is not available"],
    ['kubectl create deployment evil --image=nginx &', 2, "background jobs ('&') are"],
    ['kubectl create deployment evil --image=nginx | sh', 127, 'sh: not available after a pipe'],
    ['kubectl create deployment evil --image=nginx | grep -Z x', 2, "grep: invalid option -- 'Z'"],
    ['kubectl create deployment evil --image=nginx | head -n x', 1, 'head: invalid number of lines'],
    ['echo $(kubectl create deployment evil --image=nginx; ls)', 2, "';' is not available"],
    ['kubectl create deployment evil --image=$(docker ps -q)', 127, 'docker ps -q) is not available'],
    ['kubectl create deployment evil --image=`id`', 2, 'backquote command substitution'],
    ["kubectl create deployment evil --image='nginx", 2, "unexpected EOF while looking for matching `''"],
    ['sudo rm -rf /', 127, "sudo: command not available in this lab terminal; type 'help' to see what is"],
    ['FOO=1 kubectl create deployment evil --image=nginx', 2, 'setting a variable for one command'],
    ['$CMD get pods', 127, 'the command name must be written out'],
  ])('%s', async (line, code, message) => {
    const { cluster, run } = setup();
    const result = await run(line);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message.replace('are', ''));
    expect(result.stdout).toBe('');
    expect(deploymentNames(cluster)).toEqual([]);
  });
});

describe('LabTerminal: shell features', () => {
  it('substitutes $(minikube ip), variables and $(kubectl ...) and pipes into filters', async () => {
    const { run } = setup();
    expect(await run('echo $(minikube ip)')).toEqual({ stdout: '192.168.49.2\n', stderr: '', code: 0 });
    expect(await run('kubectl get pod --no-headers --all-namespaces |wc -l')).toEqual({
      stdout: '7\n',
      stderr: '',
      code: 0,
    });
    expect((await run('kubectl get pods -A | grep -c kube-system')).stdout).toBe('7\n');
    expect((await run('kubectl get pods -A | grep -v Running')).stdout).toBe(
      'NAMESPACE     NAME                               READY   STATUS    RESTARTS      AGE\n',
    );
    expect(await run('export NS=kube-system')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await run('kubectl get pods -n $NS -o name | head -1')).stdout).toMatch(
      /^pod\/coredns-7db6d8ff4d-\w{5}\n$/,
    );
    expect(await run('export FIRST=$(kubectl get pods -n "$NS" -o name | tail -n 1)')).toEqual({
      stdout: '',
      stderr: '',
      code: 0,
    });
    expect(await run('echo "$FIRST" ${FIRST}')).toEqual({
      stdout: 'pod/storage-provisioner pod/storage-provisioner\n',
      stderr: '',
      code: 0,
    });
    expect((await run("kubectl get pods | grep 'no such'")).code).toBe(1);
    expect(
      await run("echo $(minikube ip):$(kubectl get svc kubernetes -o jsonpath='{.spec.ports[0].port}')"),
    ).toEqual({ stdout: '192.168.49.2:443\n', stderr: '', code: 0 });
    expect((await run('echo $(kubectl get pods -n $(echo kube-system) -o name | wc -l)')).stderr).toContain(
      '$(echo kube-system) is not available',
    );
  });

  it('reports an unset $POD_NAME the way kubectl does and enters and leaves the pod shell', async () => {
    const { run, terminal, clock, cluster } = setup();
    expect(await run('kubectl exec -ti $POD_NAME -- /bin/bash')).toEqual({
      stdout: '',
      stderr: 'error: pod, type/name or --filename must be specified\n',
      code: 1,
    });
    await run('kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    clock.advance(30_000);
    cluster.sync();
    await run("export POD_NAME=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')");
    expect(await run('kubectl exec -ti $POD_NAME -- /bin/bash')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(terminal.prompt()).toBe('root@yanwei:/# ');
    const hostname = await run('hostname');
    expect(hostname.stdout).toMatch(/^yanwei\.app-[4-9bcdf]+-\w{5}\n$/);
    expect((await run('curl localhost:8080')).stdout).toBe(
      `Hello Kubernetes bootcamp! | Running on: ${hostname.stdout.trim()} | v=1\n`,
    );
    expect(await run('echo $HOSTNAME | wc -c')).toEqual({
      stdout: `${hostname.stdout.length}\n`,
      stderr: '',
      code: 0,
    });
    expect(await run('$NOT_SET')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('exit')).toEqual({ stdout: 'exit\n', stderr: '', code: 0 });
    expect(terminal.prompt()).toBe('$ ');
  });

  it('curl reaches a NodePort and reports refused ports like curl', async () => {
    const { run, clock, cluster } = setup();
    await run('kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    await run('kubectl expose deployment web --type=NodePort --port 8080');
    clock.advance(30_000);
    cluster.sync();
    await run("export NODE_PORT=$(kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}')");
    expect((await run('curl http://$(minikube ip):$NODE_PORT/')).stdout).toMatch(
      /^Hello Kubernetes bootcamp! \| Running on: web-\w+-\w{5} \| v=1\n$/,
    );
    expect(await run('curl $(minikube ip):1')).toEqual({
      stdout: '',
      stderr: 'curl: (7) Failed to connect to 192.168.49.2 port 1 after 0 ms: Connection refused\n',
      code: 7,
    });
  });

  it('stops a waiting command when the signal aborts and resolves 130', async () => {
    const { run } = setup();
    const controller = new AbortController();
    const watching = run('kubectl get pods -n kube-system -w', controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const result = await watching;
    expect(result.code).toBe(130);
    expect(result.stdout.split('\n')[0]).toBe(
      'NAME                               READY   STATUS    RESTARTS      AGE',
    );
  });

  it('kubectl wait blocks on the cluster clock until the condition holds', async () => {
    const { run, drive } = setup();
    await run('kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    const waiting = run('kubectl wait --for=condition=available deployment/web --timeout=2m');
    expect(await drive(waiting)).toEqual({
      stdout: 'deployment.apps/web condition met\n',
      stderr: '',
      code: 0,
    });
    expect((await run('kubectl wait --for=foo pods --all')).stderr).toBe(
      'error: unrecognized condition: "foo"\n',
    );
  });

  it('prints help, minikube status and the example manifests', async () => {
    const { run } = setup();
    expect((await run('help')).stdout).toContain('Pipes into grep');
    expect((await run('minikube status')).stdout).toBe(
      'minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n',
    );
    expect((await run('ls')).stdout).toBe('deployment.yaml  pod.yaml  service.yaml\n');
    expect(await run('kubectl apply -f deployment.yaml')).toEqual({
      stdout: 'deployment.apps/kubernetes-bootcamp created\n',
      stderr: '',
      code: 0,
    });
    expect(await run('kubectl apply -f ~/deployment.yaml')).toEqual({
      stdout: 'deployment.apps/kubernetes-bootcamp unchanged\n',
      stderr: '',
      code: 0,
    });
    // Without stdin, `apply -f -` reads an empty input, as kubectl does from /dev/null.
    expect((await run('kubectl apply -f -')).stderr).toBe('error: no objects passed to apply\n');
  });
});

describe('kubectl texts (reference §1.7, §2)', () => {
  it.each([
    [
      'kubectl applly',
      '',
      'error: unknown command "applly" for "kubectl"\n\nDid you mean this?\n\tapply\n',
      1,
    ],
    ['kubectl xyzzy', '', 'error: unknown command "xyzzy" for "kubectl"\n', 1],
    ['kubectl get pods --foo', '', "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n", 1],
    [
      'kubectl get pods -a',
      '',
      "error: unknown shorthand flag: 'a' in -a\nSee 'kubectl get --help' for usage.\n",
      1,
    ],
    [
      'kubectl get pods -n',
      '',
      "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
      1,
    ],
    [
      'kubectl rollout status --foo',
      '',
      "error: unknown flag: --foo\nSee 'kubectl rollout status --help' for usage.\n",
      1,
    ],
    ['kubectl create deployment x', '', 'error: required flag(s) "image" not set\n', 1],
    [
      'kubectl create deployment --image=nginx',
      '',
      "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n",
      1,
    ],
    [
      'kubectl version --short',
      '',
      "error: unknown flag: --short\nSee 'kubectl version --help' for usage.\n",
      1,
    ],
    ['kubectl version -o foo', '', "error: --output must be 'yaml' or 'json'\n", 1],
    ['kubectl get foo', '', 'error: the server doesn\'t have a resource type "foo"\n', 1],
    ['kubectl get deployments', '', 'No resources found in default namespace.\n', 0],
    ['kubectl get pods -n dns-ns', '', 'No resources found in dns-ns namespace.\n', 0],
    [
      'kubectl delete deployment kubernetes-bootcamp',
      '',
      'Error from server (NotFound): deployments.apps "kubernetes-bootcamp" not found\n',
      1,
    ],
    ['kubectl get nodes foo', '', 'Error from server (NotFound): nodes "foo" not found\n', 1],
    ['kubectl delete service -l app=x', 'No resources found\n', '', 0],
    [
      'kubectl scale deployments/yanwei.app',
      '',
      // kubectl v1.30 checks the required flag before the command runs (test/oracle).
      'error: required flag(s) "replicas" not set\n',
      1,
    ],
    // kubectl 1.30 (scale.go, and the binary against engine serve): nothing it could read is "no objects"; the
    // NotFound is printed only after other objects were scaled.
    ['kubectl scale deployments/yanwei.app --replicas=3', '', 'error: no objects passed to scale\n', 1],
    ['kubectl label nodes minikube', '', 'error: at least one label update is required\n', 1],
    ['kubectl label nodes minikube a=b=c', '', 'error: invalid label spec: a=b=c\n', 1],
    ['kubectl label nodes x disktype=ssd', '', 'Error from server (NotFound): nodes "x" not found\n', 1],
    ['kubectl exec p', '', 'error: you must specify at least one command for the container\n', 1],
    [
      'kubectl create deployment x --image=nginx -n dns-ns',
      '',
      'error: failed to create deployment: namespaces "dns-ns" not found\n',
      1,
    ],
  ])('%s', async (line, stdout, stderr, code) => {
    const { run } = setup();
    expect(await run(line)).toEqual({ stdout, stderr, code });
  });

  it('formats label, set image and rollout outcomes', async () => {
    const { run } = setup();
    expect((await run('kubectl label nodes minikube disktype=ssd')).stdout).toBe('node/minikube labeled\n');
    expect((await run('kubectl label nodes minikube disktype=ssd')).stdout).toBe(
      'node/minikube not labeled\n',
    );
    expect((await run('kubectl label nodes minikube disktype=hdd')).stderr).toBe(
      "error: 'disktype' already has a value (ssd), and --overwrite is false\n",
    );
    expect((await run('kubectl label nodes minikube disktype=hdd --overwrite')).stdout).toBe(
      'node/minikube labeled\n',
    );
    expect((await run('kubectl label nodes minikube disktype-')).stdout).toBe('node/minikube unlabeled\n');
    expect((await run('kubectl label nodes minikube "disktype=s s"')).stderr).toBe(
      "error: invalid label value: \"disktype=s s\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n",
    );
    await run('kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    expect(
      await run(
        'kubectl set image deployments/yanwei.app kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v1',
      ),
    ).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await run('kubectl set image deployments/yanwei.app foo=bar')).stderr).toBe(
      'error: unable to find container named "foo"\n',
    );
    expect((await run('kubectl rollout undo deployments/yanwei.app')).stderr).toBe(
      'error: no rollout history found for deployment "yanwei.app"\n',
    );
    expect(
      (
        await run(
          'kubectl set image deployments/yanwei.app kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2',
        )
      ).stdout,
    ).toBe('deployment.apps/yanwei.app image updated\n');
    expect((await run('kubectl rollout undo deployments/yanwei.app')).stdout).toBe(
      'deployment.apps/yanwei.app rolled back\n',
    );
    expect((await run('kubectl rollout undo deployments/yanwei.app --to-revision=3')).stdout).toBe(
      'deployment.apps/yanwei.app skipped rollback (current template already matches revision 3)\n',
    );
    expect((await run('kubectl rollout undo deployments/yanwei.app --to-revision=9')).stderr).toBe(
      'error: unable to find specified revision 9 in history\n',
    );
    expect((await run('kubectl expose deployment/yanwei.app --type=NodePort')).stderr).toBe(
      "error: couldn't find port via --port flag or introspection\n",
    );
    expect((await run('kubectl expose deployment/yanwei.app --port 8080')).stderr).toBe(
      "The Service \"yanwei.app\" is invalid: metadata.name: Invalid value: \"yanwei.app\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n",
    );
  });
});

describe('completions', () => {
  it('completes programs, verbs, subcommands, kinds and object names', async () => {
    const { cluster, run } = setup();
    await run('kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
    expect(completions(cluster, 'kub')).toEqual(['kubectl']);
    expect(completions(cluster, 'kubectl ge')).toEqual(['get']);
    expect(completions(cluster, 'kubectl rollout s')).toEqual(['status']);
    expect(completions(cluster, 'kubectl get po')).toEqual(['pods']);
    expect(completions(cluster, 'kubectl get deployments ')).toEqual(['yanwei.app']);
    expect(completions(cluster, 'kubectl describe deploy/y')).toEqual(['deploy/yanwei.app']);
    expect(completions(cluster, 'kubectl get pods -n kube-system kube-s')).toEqual([
      'kube-scheduler-minikube',
    ]);
    expect(completions(cluster, 'kubectl logs ')).toHaveLength(1);
    expect(completions(cluster, 'minikube ')).toEqual([
      'addons',
      'ip',
      'node',
      'service',
      'ssh',
      'start',
      'status',
      'tunnel',
      'version',
    ]);
  });
});
