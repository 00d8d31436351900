/**
 * The networking lab's checks against real sessions in the embedded engine: other valid ways through each step
 * pass, typical mistakes fail with a reason that says what is missing, and the diagnostics catch them. The
 * background jobs of the LoadBalancer step (`minikube tunnel &`, `kubectl port-forward ... &`) run in LabSession's
 * shell, which has job control as the platform's terminal does.
 */
import { join } from 'node:path';
import { diagnose, evaluateStep, EvaluationContext, Lab, loadLabFile } from '../../src/labs';
import { LabSession } from '../../src/labs/runner/lab-session';

const lab: Lab = loadLabFile(join(__dirname, '../../labs/networking/lab.yaml'));
const BOOTCAMP = 'gcr.io/google-samples/kubernetes-bootcamp:v1';

function step(id: string) {
  const found = lab.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

/** What the specs need of a session: run a line, move the clock, read the cluster and the history. */
interface Session {
  context: EvaluationContext;
  run(line: string): Promise<{ exitCode: number; output: string }>;
  advance(ms: number): void | Promise<void>;
}

/** Runs lines (`+30s` advances the clock) and fails loudly if a command unexpectedly fails. */
async function play(session: Session, lines: string[], expectFailure: string[] = []): Promise<void> {
  for (const line of lines) {
    const advance = /^\+(\d+)s$/.exec(line);
    if (advance) {
      await session.advance(Number(advance[1]) * 1000);
      continue;
    }
    const run = await session.run(line);
    if (!expectFailure.includes(line))
      expect({ line, exitCode: run.exitCode, output: run.output }).toMatchObject({ exitCode: 0 });
  }
}

async function failing(session: Session, stepId: string): Promise<string[]> {
  const verdict = await evaluateStep(step(stepId), session.context);
  return verdict.checks.filter((check) => !check.passed).map((check) => check.reason.en);
}

async function hints(session: Session, stepId: string): Promise<string[]> {
  return (await diagnose(lab, session.context, { stepId })).map((hint) => hint.id);
}

function service(name: string, spec: string): string {
  return `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
${spec}
EOF`;
}

/** Steps 1-3 the short way: web with its ClusterIP Service, a client pod, and api in shop. */
const BASICS = [
  'kubectl create deploy web --image nginx:1.25 --replicas 2',
  'kubectl expose deploy/web --port 80',
  'kubectl run client --image=busybox:1.36 --restart=Never -- sleep 3600',
  'kubectl create ns shop',
  `kubectl -n shop create deployment api --image=${BOOTCAMP}`,
  'kubectl -n shop expose deployment api --port=80 --target-port=8080',
  '+40s',
];

describe('Networking lab: other valid ways through it', () => {
  it('accepts imperative commands, the pod shell, literal IPs and kubectl create ingress', async () => {
    const session = new LabSession({ seed: 5 });
    await play(session, BASICS);
    expect(await failing(session, 'clusterip')).toEqual([]);

    await play(session, [
      'kubectl exec -ti client -- sh',
      'nslookup web.default.svc.cluster.local',
      'wget -O- http://web.default.svc.cluster.local/',
      'exit',
    ]);
    expect(await failing(session, 'dns')).toEqual([]);

    await play(session, ["kubectl exec client -- wget -qO- 'http://api.shop'"]);
    expect(await failing(session, 'cross-namespace')).toEqual([]);

    await play(session, [
      service(
        'web-nodeport',
        '  type: NodePort\n  selector: { app: web }\n  ports: [{ port: 80, targetPort: 80, nodePort: 30080 }]',
      ),
      'curl -s http://192.168.49.2:30080/',
    ]);
    expect(await failing(session, 'nodeport')).toEqual([]);

    await play(session, [
      'kubectl create service loadbalancer web-lb --tcp=80:80',
      'kubectl set selector svc web-lb app=web',
      'minikube service web-lb --url',
    ]);
    // Looking up the address is not yet reaching the service (nor is port-forward done).
    expect(await failing(session, 'loadbalancer')).toHaveLength(2);
    const [lb] = await session.context.readObjects({ kind: 'Service', namespace: 'default', name: 'web-lb' });
    const nodePort = (lb.spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
    await play(session, [`curl http://$(minikube ip):${nodePort}`]);
    expect(await failing(session, 'loadbalancer')).toEqual([
      expect.stringMatching(/missing step 1: a command like `kubectl port-forward svc\/web 8080:80 &`/),
    ]);
    // A forward of the deployment, stopped with kill before the step is graded, counts as well.
    await play(session, [
      'kubectl port-forward deployment/web 8080:80 &',
      'curl -s http://127.0.0.1:8080/',
      'kill %1',
    ]);
    expect(await failing(session, 'loadbalancer')).toEqual([]);

    await play(session, ['minikube addons enable ingress', '+90s']);
    expect(await failing(session, 'ingress-addon')).toEqual([]);

    await play(session, [
      'kubectl create ingress web --class=nginx --rule="web.example.com/*=web:80"',
      `kubectl apply -n shop -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop }
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }
EOF`,
      '+60s',
      'curl --header "Host: web.example.com" http://$(minikube ip)/',
      'curl -s -H host:shop.example.com 192.168.49.2',
    ]);
    expect(await failing(session, 'ingress')).toEqual([]);
    expect(await diagnose(lab, session.context)).toEqual([]);
  });

  it('accepts the tunnel in the background, and serves port-forward there as the instructions teach', async () => {
    const session = new LabSession();
    await play(session, [
      ...BASICS,
      'kubectl expose deployment web --type=LoadBalancer --name=web-lb --port=80',
    ]);
    await play(session, ['kubectl get svc web-lb']);
    expect(await hints(session, 'loadbalancer')).toEqual(['external-ip-pending']);
    expect(await failing(session, 'loadbalancer')).toEqual([
      expect.stringMatching(
        /^None of these holds: .*`kubectl get svc web-lb`, succeeded but its output does not match/,
      ),
      expect.stringMatching(/missing step 1: a command like `kubectl port-forward svc\/web 8080:80 &`/),
    ]);

    await play(session, ['minikube tunnel &', 'kubectl get services']);
    expect(await failing(session, 'loadbalancer')).toEqual([
      expect.stringMatching(/missing step 1: a command like `kubectl port-forward svc\/web 8080:80 &`/),
    ]);
    expect(await hints(session, 'loadbalancer')).toEqual([]);

    // A curl before the forward runs reaches nothing, and does not count once the forward runs.
    await play(session, ['kill %1', 'curl localhost:8080'], ['curl localhost:8080']);
    await play(session, ['kubectl port-forward svc/web 8080:80 &']);
    const forwarding = session.history[session.history.length - 1];
    expect(forwarding).toMatchObject({ exitCode: null, running: true });
    expect(await failing(session, 'loadbalancer')).toEqual([
      expect.stringMatching(/missing step 2: a command like `curl localhost:8080`/),
    ]);
    const forwarded = await session.run('curl localhost:8080');
    expect(forwarded.output).toContain('Handling connection for 8080');
    expect(forwarded.output).toContain('Welcome to nginx!');
    expect(await failing(session, 'loadbalancer')).toEqual([]);
    await play(session, ['kill %%']);
    await session.close();
  });
});

describe('Networking lab: typical mistakes', () => {
  it('explains kubectl run -it, curl in busybox and a short name across namespaces', async () => {
    const session = new LabSession();
    const interactive = 'kubectl run -it --rm test --image=busybox:1.36 --restart=Never -- nslookup web';
    await play(session, [BASICS[0], BASICS[1], interactive], [interactive]);
    expect(await hints(session, 'dns')).toEqual(['run-interactive']);
    expect(await failing(session, 'dns')).toEqual([
      'Pod client in namespace default: expected exactly 1 with phase Running and ready, found none.',
      expect.stringContaining('Your history has no command like `kubectl exec client -- nslookup web`'),
      expect.stringContaining(
        'Your history has no command like `kubectl exec client -- wget -qO- http://web`',
      ),
    ]);

    const curl = 'kubectl exec client -- curl -s http://web';
    await play(session, [...BASICS.slice(2), curl], [curl]);
    expect(await hints(session, 'dns')).toEqual(['curl-in-busybox']);

    const bare = 'kubectl exec client -- wget -qO- http://api';
    await play(session, [bare], [bare]);
    expect(await hints(session, 'cross-namespace')).toEqual([
      'curl-in-busybox',
      'short-name-other-namespace',
    ]);
    const [reason] = await failing(session, 'cross-namespace');
    expect(reason).toBe(
      'Your history has no command like `kubectl exec client -- wget -qO- http://api.shop.svc.cluster.local` ' +
        'that succeeded with output matching /Hello Kubernetes bootcamp!/.',
    );
    await play(session, ['kubectl exec client -- wget -qO- http://api.shop.svc.cluster.local']);
    expect(await failing(session, 'cross-namespace')).toEqual([]);
    // wget has been used since: the hint about curl has done its job.
    expect(await hints(session, 'cross-namespace')).toEqual([]);
  });

  it('explains a wrong target port and a NodePort that is not 30080', async () => {
    const session = new LabSession();
    await play(session, [...BASICS.slice(0, 5), 'kubectl -n shop expose deployment api --port=80', '+40s']);
    expect(await hints(session, 'cross-namespace')).toEqual(['wrong-target-port']);
    expect((await failing(session, 'cross-namespace'))[0]).toBe(
      'Service api in namespace shop: expected exactly 1 with port 80 (targetPort 8080) and a selector that ' +
        'matches at least one pod, found 0 of 1 (api: ports are 80/TCP -> 80).',
    );

    await play(session, ['kubectl expose deployment web --type=NodePort --name=web-nodeport --port=80']);
    expect(await hints(session, 'nodeport')).toEqual(['nodeport-random']);
    expect(await failing(session, 'nodeport')).toEqual([
      expect.stringMatching(/found 0 of 1 \(web-nodeport: ports are 80:3\d{4}\/TCP -> 80\)\.$/),
      expect.stringContaining('Your history has no command like `curl $(minikube ip):30080`'),
    ]);
  });

  it('explains a 404 without a Host header and an Ingress pointing across namespaces', async () => {
    const session = new LabSession();
    await play(session, [...BASICS, 'minikube addons enable ingress', '+90s']);
    await play(session, [
      'kubectl create ingress web --rule="web.example.com/*=web:80" --rule="shop.example.com/*=api:80"',
      '+60s',
      'curl $(minikube ip)',
    ]);
    expect(await hints(session, 'ingress')).toEqual(['ingress-404', 'ingress-backend-other-namespace']);
    expect(await failing(session, 'ingress')).toEqual([
      // The extra rule in default does not stop Ingress web from counting; the one in shop is missing.
      'Ingresses in namespace shop: expected at least 1 with .spec.rules[?(@.host=="shop.example.com")]' +
        '.http.paths[?(@.backend.service.name=="api")].path set, found none.',
      expect.stringContaining(
        'Your history has no command like `curl -H "Host: web.example.com" $(minikube ip)` that succeeded with ' +
          'output matching /Welcome to nginx!/. Your closest attempt, `curl $(minikube ip)`, does not have the expected form',
      ),
      expect.stringContaining(
        'Your history has no command like `curl -H "Host: shop.example.com" $(minikube ip)`',
      ),
    ]);
  });
});
