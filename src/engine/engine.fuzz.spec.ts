/**
 * Property test of the whole engine through the lab terminal: random and hostile command lines (kubectl-shaped
 * argv, lab commands, random bytes, huge lines) interleaved with random clock moves. Whatever is typed, `run`
 * never throws, always resolves with an exit code, and the cluster's invariants hold after every step.
 */
import fc from 'fast-check';
import { ManualClock } from './clock/clock';
import { createCluster } from './cluster';
import { InvariantChecker } from './invariants';
import { LabTerminal, type TerminalIO } from './terminal';

/** Given to secrets only: whatever kubectl prints must show it encoded (base64) or as a byte count. */
const SECRET_VALUE = 'Plain7Secret';

const LAB_LINES = [
  'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
  'kubectl scale deployments/yanwei.app --replicas=3',
  'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei',
  'kubectl set image deployments/yanwei.app kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2',
  'kubectl set image deployments/yanwei.app kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10',
  'kubectl rollout undo deployments/yanwei.app',
  'kubectl rollout status deployments/yanwei.app',
  'kubectl get pods -o wide',
  'kubectl describe pod',
  'kubectl get deployments',
  'kubectl get rs',
  'kubectl delete deployment yanwei.app',
  'kubectl delete service yanwei',
  'kubectl label nodes minikube disktype=ssd',
  'kubectl get nodes --show-labels',
  'curl $(minikube ip):31120',
  'kubectl get pod -n kube-system',
  'kubectl get pod --no-headers --all-namespaces | wc -l',
  'kubectl exec -ti $(kubectl get pods -o name | head -1 | cut -d/ -f2) -- /bin/bash',
  'ps -elf',
  'exit',
  // Namespaces, contexts, configuration and secrets (the secret's value must never be printed decoded).
  'kubectl create namespace dev',
  'kubectl create ns dev --dry-run=client -o yaml',
  'kubectl delete namespace dev',
  'kubectl delete ns dev --wait=false',
  'kubectl create deployment web --image=nginx -n dev',
  'kubectl config set-context --current --namespace=dev',
  'kubectl config set-context --current --namespace=default',
  'kubectl config use-context nope',
  'kubectl config view --minify',
  'kubectl create configmap app --from-literal=mode=prod --from-literal=lives=3',
  'kubectl create configmap app --from-literal=mode=prod -n dev',
  `kubectl create secret generic db --from-literal=password=${SECRET_VALUE}`,
  `kubectl create secret generic db --from-literal=password=${SECRET_VALUE} -n dev`,
  `kubectl create secret docker-registry reg --docker-username=bob --docker-password=${SECRET_VALUE}`,
  'kubectl create serviceaccount bot -n dev',
  'kubectl get secrets -A -o yaml',
  'kubectl get secret db -o json',
  'kubectl describe secrets -A',
  'kubectl describe secret db -n dev',
  'kubectl get cm,secret,sa -A',
  'kubectl describe ns dev',
  'kubectl get ns',
  'kubectl delete sa default -n dev',
  'kubectl delete cm kube-root-ca.crt',
  // Issue 14: the pod's life, Jobs and CronJobs.
  'kubectl run once --image=busybox --restart=Never -- echo hello',
  "kubectl run crasher --image=busybox -- sh -c 'echo boom; exit 1'",
  "kubectl run onfail --image=busybox --restart=OnFailure -- sh -c 'sleep 3; exit 2'",
  'kubectl logs crasher --previous --timestamps',
  'kubectl logs once --tail=1 --since=1h',
  "kubectl create job pi --image=perl:5.34.0 -- perl -Mbignum=bpi -wle 'print bpi(2000)'",
  "kubectl create job fail --image=busybox -- sh -c 'exit 1'",
  "kubectl create cronjob hello --image=busybox:1.28 --schedule='*/1 * * * *' -- date",
  "kubectl create cronjob bad --image=busybox --schedule='61 * * * *'",
  'kubectl create job manual --from=cronjob/hello',
  'kubectl get jobs,cronjobs -o wide',
  'kubectl describe jobs',
  'kubectl describe cj hello',
  'kubectl logs job/pi',
  'kubectl delete cronjob hello',
  'kubectl delete job pi',
  'kubectl apply -f - <<EOF\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: par\nspec:\n  completions: 5\n  parallelism: 2\n  backoffLimit: 2\n  activeDeadlineSeconds: 40\n  ttlSecondsAfterFinished: 30\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: w\n        image: busybox\n        command: [sh, -c, "sleep 4; exit $((RANDOM % 2))"]\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    command: [sleep, "2"]\n  containers:\n  - name: c\n    image: polinux/stress\n    resources:\n      limits:\n        memory: 10Mi\n        cpu: "3"\n    args: [--vm, "1", --vm-bytes, 50M]\nEOF',
  // Issue 14 part 2: Indexed Jobs, podFailurePolicy, backoffLimitPerIndex, CronJob timeZone, volumes.
  'kubectl apply -f - <<EOF\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: idx\nspec:\n  completions: 4\n  parallelism: 2\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n        operator: In\n        values: [3]\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: w\n        image: busybox\n        command: [sh, -c, "sleep 3; exit $((RANDOM % 4))"]\nEOF',
  "kubectl create cronjob tz --image=busybox:1.28 --schedule='*/2 * * * *' -- date",
  'kubectl apply -f - <<EOF\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tokyo\nspec:\n  schedule: "*/3 * * * *"\n  timeZone: Asia/Tokyo\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.28\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: vols\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, "3600"]\n    volumeMounts:\n    - {name: cfg, mountPath: /etc/cfg}\n    - {name: data, mountPath: /data}\n  volumes:\n  - name: cfg\n    configMap: {name: cfg}\n  - name: data\n    emptyDir: {}\nEOF',
  'kubectl create configmap cfg --from-literal=mode=debug',
  "kubectl exec vols -- sh -c 'echo hi > /data/x; cat /data/x /etc/cfg/mode; ls -la /etc/cfg'",
  'kubectl delete configmap cfg',
  // Issue 14 part 2, last gaps: sidecars with probes (in a Pod and in a Job), exec probes past their timeout,
  // run --expose, logs flags, set env --list --resolve.
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: side\nspec:\n  initContainers:\n  - name: proxy\n    image: nginx:1.25\n    restartPolicy: Always\n    readinessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 2\n  - name: setup\n    image: busybox\n    command: [sh, -c, "echo ready"]\n  containers:\n  - name: c\n    image: busybox\n    command: [sh, -c, "sleep 3600"]\n    livenessProbe:\n      exec: {command: [sleep, "3"]}\n      periodSeconds: 3\n      timeoutSeconds: 1\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: sidejob\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n      - name: log\n        image: busybox\n        restartPolicy: Always\n        command: [sh, -c, "sleep 3600"]\n      containers:\n      - name: w\n        image: busybox\n        command: [sh, -c, "sleep 5"]\nEOF',
  'kubectl run exposed --image=nginx:1.25 --port=80 --expose --labels=app=exposed',
  'kubectl logs side -c proxy --timestamps --tail=2',
  'kubectl logs -l app=exposed --prefix --since=10s',
  'kubectl set env pod/side --list --resolve',
  'kubectl get pods side sidejob -o wide',
  // Issue 17: cluster operations (cordon, drain with a budget, taints) and quotas.
  'kubectl cordon minikube',
  'kubectl uncordon minikube',
  'kubectl create pdb web-pdb --selector=app=web --min-available=1',
  'kubectl drain minikube --ignore-daemonsets --force --pod-selector=app=web --timeout=20s',
  'kubectl taint nodes minikube gpu=yes:NoSchedule',
  'kubectl taint nodes minikube gpu-',
  'kubectl taint nodes minikube evict=now:NoExecute',
  'kubectl taint nodes minikube evict:NoExecute-',
  'kubectl create quota pods-quota --hard=pods=3,requests.cpu=1',
  'kubectl delete quota pods-quota',
  'kubectl events --types=Warning',
  'kubectl get pods -L app --sort-by=.metadata.name',
  // Issue 17: claims, their volumes, a StatefulSet's claim templates and data written through a claim.
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: manual\nspec:\n  capacity:\n    storage: 2Gi\n  accessModes: [ReadWriteOnce]\n  storageClassName: ""\n  hostPath:\n    path: /mnt/manual\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: static\nspec:\n  storageClassName: ""\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\nEOF',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: store\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, "3600"]\n    volumeMounts:\n    - {name: d, mountPath: /data}\n  volumes:\n  - name: d\n    persistentVolumeClaim: {claimName: data}\nEOF',
  "kubectl exec store -- sh -c 'echo hi > /data/x; cat /data/x'",
  'kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        volumeMounts:\n        - {name: data, mountPath: /data}\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\nEOF',
  'kubectl delete pvc data --wait=false',
  'kubectl delete pv manual --wait=false',
  'kubectl delete pod store --grace-period=1',
  'kubectl get pvc,pv -o wide',
  'kubectl describe pvc',
  'kubectl describe pv',
];

/** Probes (issue 14 part 2): readiness flapping behind a Service, a liveness probe restarting its container. */
const PROBE_LINES = [
  'kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: flap\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: flap\n  template:\n    metadata:\n      labels:\n        app: flap\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        command: [sh, -c, "while true; do touch /tmp/ready; sleep 20; rm /tmp/ready; sleep 20; done"]\n        readinessProbe:\n          exec:\n            command: [cat, /tmp/ready]\n          periodSeconds: 3\n          failureThreshold: 1\nEOF',
  'kubectl expose deployment flap --port=80',
  'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: live\nspec:\n  containers:\n  - name: c\n    image: nginx\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: 2\n    startupProbe:\n      tcpSocket:\n        port: 80\nEOF',
  'kubectl describe pod live',
];

const VERBS = [
  'get',
  'describe',
  'create',
  'delete',
  'scale',
  'expose',
  'set',
  'rollout',
  'label',
  'logs',
  'exec',
  'apply',
  'version',
  'cluster-info',
  'api-resources',
  'edit',
  'run',
  'top',
  'applly',
  'config',
];
const WORDS = [
  'job',
  'jobs',
  'cronjob',
  'cj',
  '--from=cronjob/hello',
  '--schedule=@hourly',
  '--restart=Never',
  '-p',
  'cm',
  'secret',
  'sa',
  'configmaps',
  'dev',
  'pods',
  'po',
  'pod',
  'deploy',
  'deployments',
  'deployment/yanwei.app',
  'rs',
  'svc',
  'services',
  'nodes',
  'ns',
  'events',
  'foo',
  'yanwei.app',
  'yanwei',
  'kubernetes',
  'minikube',
  'image',
  'status',
  'undo',
  'history',
  'deployment',
  'Yanwei',
  'foo:bar',
  '--',
  'kubernetes-bootcamp=busybox',
  'app=yanwei.app',
  'a=b=c',
  'x-',
  'bash',
  'ls',
  '$POD',
  '"',
  "'",
  '|',
  '&&',
  ';',
  '$(',
  '`',
];
const FLAGS = [
  '-o',
  'wide',
  '-o=yaml',
  '-o',
  'json',
  '-oname',
  '--replicas=2',
  '--replicas=-1',
  '--image=nginx',
  '--image=Nginx:Bad',
  '-n',
  'kube-system',
  '-A',
  '--all-namespaces',
  '--show-labels',
  '-l',
  'app=yanwei.app',
  '--port',
  '8080',
  '--type=NodePort',
  '--type=Foo',
  '--name',
  'web',
  '--overwrite',
  '--all',
  '-w',
  '--watch=false',
  '--to-revision=1',
  '--grace-period=0',
  '--force',
  '--no-headers',
  '-h',
  '--help',
  '--foo',
  '-z',
];

const token = fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom(...FLAGS), fc.string({ maxLength: 12 }));
const kubectlLine = fc
  .tuple(fc.constantFrom(...VERBS), fc.array(token, { maxLength: 7 }))
  .map(([verb, rest]) => ['kubectl', verb, ...rest].join(' '));
const hostileLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 1000, max: 40_000 }).map((n) => `kubectl get pods ${'x'.repeat(n)}`),
  fc.integer({ min: 100, max: 2000 }).map((n) => '$('.repeat(n)),
  fc
    .array(fc.constantFrom('|', '&&', ';', '$(', ')', '"', "'", '\\', '\n', '\t', '>', '<', '*'), {
      maxLength: 30,
    })
    .map((t) => `kubectl ${t.join('')}`),
);
const step = fc.record({
  line: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...LAB_LINES) },
    { weight: 1, arbitrary: fc.constantFrom(...PROBE_LINES) },
    { weight: 4, arbitrary: kubectlLine },
    { weight: 1, arbitrary: hostileLine },
  ),
  advanceMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 5_000 }),
    fc.integer({ min: 0, max: 700_000 }),
  ),
});

class Sink implements TerminalIO {
  printed = '';
  constructor(readonly signal: AbortSignal) {}
  stdout(chunk: string): void {
    this.printed += chunk;
  }
  stderr(chunk: string): void {
    this.printed += chunk;
  }
}

/** Runs one line; commands that wait on the clock (rollout status, get -w) see it move, then get interrupted. */
async function runLine(terminal: LabTerminal, clock: ManualClock, line: string): Promise<number> {
  const abort = new AbortController();
  let settled = false;
  const sink = new Sink(abort.signal);
  const done = terminal.run(line, sink).finally(() => (settled = true));
  for (let i = 0; i < 40 && !settled; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled) clock.advance(2_000);
  }
  if (!settled) abort.abort();
  const code = await done;
  if (sink.printed.includes(SECRET_VALUE)) throw new Error(`"${line}" printed a secret's value decoded`);
  return code;
}

describe('engine fuzz', () => {
  it('never throws, always exits with a code, and keeps the invariants', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(step, { minLength: 1, maxLength: 20 }),
        async (seed, steps) => {
          const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
          const cluster = createCluster({ seed, clock });
          const terminal = new LabTerminal(cluster);
          const checker = new InvariantChecker(cluster);
          for (const { line, advanceMs } of steps) {
            const code = await runLine(terminal, clock, line);
            if (process.env.FUZZ_DEBUG) process.stdout.write(`${code} ${line.slice(0, 100)}\n`);
            expect(Number.isInteger(code) && code >= 0 && code <= 255).toBe(true);
            clock.advance(advanceMs);
            expect(checker.check()).toEqual([]);
          }
        },
      ),
      { numRuns: 200, seed: 20240603 },
    );
    // 200 runs take about 20 s alone; the machine's cores are shared with other suites, hence the margin.
  }, 120_000);
});
