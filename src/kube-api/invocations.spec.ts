/**
 * The request-sequence → kubectl-line mapping, judged on what real kubectl binaries sent (invocation-fixtures.json,
 * written by invocation-capture.ts: kubectl.1.30, kubectl.1.33, the gcloud dispatcher, curl and client-node against
 * a real engine cluster). Every kubectl version that ran a line successfully must map to the same line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureFile, CapturedLine, CapturedRequest } from './invocation-capture';
import { parseResourcePath } from './invocation-paths';
import { shellWord } from './invocation-lines';
import {
  CLIENT_SPAN_MS,
  EDIT_GAP_MS,
  InvocationTracker,
  QUIET_GAP_MS,
  isMutatingRequest,
  summarizeRequestBody,
  type ApiRequestRecord,
  type Invocation,
} from './invocations';

const capture = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'invocation-fixtures.json'), 'utf8'),
) as CaptureFile;

/** A captured request as the platform reports it: the body only as its summary, times moved to `base`. */
function recordOf(request: CapturedRequest, base = 0): ApiRequestRecord {
  const { body, contentType, ...rest } = request;
  const record: ApiRequestRecord = { ...rest, at: base + request.at };
  if (request.mutating && body !== undefined) record.summary = summarizeRequestBody(body, contentType);
  return record;
}

function recordsOf(line: CapturedLine, base = 0): ApiRequestRecord[] {
  return line.requests.map((request) => recordOf(request, base));
}

/** Feeds records as they were answered and ends whatever is left open. */
function track(records: ApiRequestRecord[], tracker = new InvocationTracker()): Invocation[] {
  const out: Invocation[] = [];
  for (const record of records) out.push(...tracker.add(record));
  out.push(...tracker.flushAll());
  return out;
}

/** The `occurrence`-th capture of a line (the scenario applies api.yaml twice: created, then unchanged). */
function captured(client: string, line: string, occurrence = 0): CapturedLine {
  const found = capture.lines.filter(
    (candidate) => candidate.client === client && normalise(candidate.line) === normalise(line),
  )[occurrence];
  if (!found) throw new Error(`no captured line ${client}: ${line} (run invocation-capture.ts)`);
  return found;
}

/** The capture runs each binary in a namespace of its own (k130, k133): lines are compared with NS instead. */
const normalise = (line: string) => line.replace(/\bk13[0-3]\b/g, 'NS');

/**
 * What each line of the capture's scenario must be recorded as, whatever the kubectl version; a line run twice has
 * one expectation per run.
 */
const EXPECTED: Record<string, string | string[]> = {
  'kubectl create namespace NS': 'kubectl create namespace NS',
  'kubectl apply -f ns-NS.yaml': 'kubectl apply -f -  # namespace/NS configured',
  'kubectl get pods -n NS': 'kubectl get pods -n NS',
  'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n NS':
    'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n NS',
  'kubectl apply -f web.yaml -n NS': 'kubectl apply -f - -n NS  # deployment/web configured',
  'kubectl apply -f api.yaml -n NS': [
    'kubectl apply -f - -n NS  # deployment/api created, service/api created',
    'kubectl apply -f - -n NS  # deployment/api unchanged, service/api unchanged',
  ],
  'kubectl apply -f api2.yaml -n NS':
    'kubectl apply -f - -n NS  # deployment/api configured, service/api unchanged',
  'kubectl scale deployment/web --replicas=3 -n NS': 'kubectl scale deployment web --replicas=3 -n NS',
  'kubectl scale deployment web --replicas=1 -n NS': 'kubectl scale deployment web --replicas=1 -n NS',
  'kubectl label deployment web tier=frontend -n NS': 'kubectl label deployment web tier=frontend -n NS',
  'kubectl label pods -l app=web tier=fe -n NS': 'kubectl label pods -l app=web tier=fe -n NS',
  'kubectl annotate deployment web note=hello -n NS': 'kubectl annotate deployment web note=hello -n NS',
  'kubectl set image deployment/web nginx=nginx:1.28 -n NS':
    'kubectl set image deployment web nginx=nginx:1.28 -n NS',
  'kubectl rollout status deployment/web -n NS --timeout=5s': 'kubectl rollout status deployment web -n NS',
  'kubectl rollout history deployment/web -n NS': 'kubectl rollout history deployment web -n NS',
  'kubectl rollout undo deployment/web -n NS': 'kubectl rollout undo deployment web -n NS',
  'kubectl rollout restart deployment/web -n NS': 'kubectl rollout restart deployment web -n NS',
  'kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort -n NS':
    'kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort -n NS',
  'kubectl run solo --image=busybox -n NS -- sleep 3600':
    'kubectl run solo --image=busybox -n NS -- sleep 3600',
  'kubectl get pods -w -n NS': 'kubectl get pods -w -n NS',
  'kubectl get pods -A': 'kubectl get pods -A',
  'kubectl get deployment web -o yaml -n NS': 'kubectl get deployment web -n NS',
  'kubectl describe deployment web -n NS': 'kubectl describe deployment web -n NS',
  'kubectl logs solo -n NS': 'kubectl logs solo -n NS',
  'kubectl logs -f solo --tail=5 -n NS': 'kubectl logs solo -f --tail=5 -n NS',
  'kubectl exec solo -n NS -- ls /': 'kubectl exec solo -n NS -- ls /',
  'kubectl exec -i solo -n NS -- cat': 'kubectl exec -i solo -n NS -- cat',
  'kubectl exec -it solo -n NS -- sh': 'kubectl exec -it solo -n NS -- sh',
  'kubectl port-forward pod/solo 0:80 -n NS': 'kubectl port-forward pod/solo -n NS',
  'kubectl edit deployment web -n NS': 'kubectl edit deployment web -n NS',
  'kubectl create configmap cfg --from-literal=a=b -n NS':
    'kubectl create configmap cfg --from-literal=a=b -n NS',
  'kubectl autoscale deployment web --max=3 -n NS': 'kubectl autoscale deployment web --max=3 -n NS',
  'kubectl get pod nosuch -n NS': 'kubectl get pod nosuch -n NS',
  'kubectl delete pod solo -n NS --wait=false': 'kubectl delete pod solo -n NS',
  'kubectl delete -f api.yaml -n NS': 'kubectl delete deployment/api service/api -n NS',
  'kubectl delete service web -n NS': 'kubectl delete service web -n NS',
  'kubectl version': 'kubectl version',
  'kubectl cluster-info': 'kubectl cluster-info',
  'kubectl get nodes': 'kubectl get nodes',
  'kubectl get pods -n kube-system': 'kubectl get pods -n kube-system',
  'kubectl get pods': 'kubectl get pods',
  'kubectl create deployment disp --image=nginx': 'kubectl create deployment disp --image=nginx',
};

/** Lines whose apply found the object the line before created (1.30), or created it (1.33 could not create). */
const APPLY_AFTER_CREATE: Record<string, string> = {
  'kubectl apply -f ns-NS.yaml': 'kubectl apply -f -  # namespace/NS created',
  'kubectl apply -f web.yaml -n NS': 'kubectl apply -f - -n NS  # deployment/web created',
};

/** Lines the capture stops with SIGINT (or a client-side timeout): how they end is not the server's to see. */
const LASTING = new Set([
  'kubectl get pods -w -n NS',
  'kubectl logs -f solo --tail=5 -n NS',
  'kubectl rollout status deployment/web -n NS --timeout=5s',
]);

const kubectlLines = capture.lines.filter(
  (line) => line.client.startsWith('kubectl') || line.client === 'dispatcher',
);

describe('captured kubectl invocations', () => {
  it('covers the brief with kubectl 1.30, 1.33 and the dispatcher', () => {
    const clients = new Set(kubectlLines.map((line) => line.client));
    expect([...clients].sort()).toEqual(['dispatcher', 'kubectl.1.30', 'kubectl.1.33']);
    for (const line of kubectlLines) expect(EXPECTED[normalise(line.line)]).toBeDefined();
  });

  it('sends Kubectl-Command and one Kubectl-Session on every request kubectl makes itself', () => {
    for (const line of kubectlLines) {
      const own = line.requests.filter((request) => !request.userAgent?.startsWith('kubectl-dispatcher/'));
      const sessions = new Set(own.map((request) => request.kubectlSession));
      const commands = new Set(own.map((request) => request.kubectlCommand));
      if (own.length === 0) continue;
      expect({ line: line.line, sessions: sessions.size, commands: commands.size }).toEqual({
        line: line.line,
        sessions: 1,
        commands: 1,
      });
      expect([...sessions][0]).toMatch(/^[0-9a-f-]{36}$/);
      const verb = [...commands][0] as string;
      // The command path as typed, without its arguments: `kubectl set image`, `kubectl rollout status`.
      expect(normalise(line.line).startsWith(verb)).toBe(true);
    }
  });

  it('sends no Kubectl-* headers on the dispatcher /version probe', () => {
    const probes = capture.lines
      .filter((line) => line.client === 'dispatcher')
      .map((line) => line.requests[0]);
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) {
      expect(probe).toMatchObject({ method: 'GET', path: '/version' });
      expect(probe.kubectlSession).toBeUndefined();
      expect(probe.userAgent).toMatch(/^kubectl-dispatcher\//);
    }
  });

  for (const line of kubectlLines) {
    const occurrence = kubectlLines
      .slice(0, kubectlLines.indexOf(line))
      .filter((earlier) => earlier.client === line.client && earlier.line === line.line).length;
    it(`${line.client}: ${line.line}${occurrence > 0 ? ` (again)` : ''}`, () => {
      const invocations = track(recordsOf(line));
      if (line.requests.length === 0) {
        // kubectl refused the line before it asked the server anything: nothing reaches the history.
        expect(invocations).toEqual([]);
        return;
      }
      expect(invocations).toHaveLength(1);
      const [invocation] = invocations;
      expect(invocation.client).toBe('kubectl');
      expect(invocation.requests).toBe(line.requests.length - (line.client === 'dispatcher' ? 1 : 0));
      const key = normalise(line.line);
      if (line.exitCode === 0 || LASTING.has(key)) {
        // A lasting command (get -w, logs -f, exec -i) is stopped with Ctrl-C, as a student stops it.
        const forLine = EXPECTED[key];
        const expected = [Array.isArray(forLine) ? forLine[occurrence] : forLine, APPLY_AFTER_CREATE[key]];
        expect(expected).toContain(normalise(invocation.line));
      } else {
        // kubectl failed: the line keeps its verb (and what the server saw of it).
        expect(normalise(invocation.line).startsWith(key.split(' ').slice(0, 2).join(' '))).toBe(true);
      }
    });
  }

  it('gives a failing line exit code 1 and a working one 0 where the server can tell', () => {
    const exit = (client: string, text: string) => track(recordsOf(captured(client, text)))[0]?.exitCode;
    expect(exit('kubectl.1.30', 'kubectl get pod nosuch -n NS')).toBe(1);
    // apply's GET of a new object is answered 404; delete's GET afterwards too: neither is a failure.
    expect(exit('kubectl.1.30', 'kubectl apply -f api.yaml -n NS')).toBe(0);
    expect(exit('kubectl.1.30', 'kubectl delete -f api.yaml -n NS')).toBe(0);
    expect(exit('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS')).toBe(0);
    expect(exit('kubectl.1.30', 'kubectl version')).toBe(0);
  });

  it('records what each line wrote, as the terminal records its effects', () => {
    const effects = (text: string) => track(recordsOf(captured('kubectl.1.30', text)))[0].effects;
    expect(effects('kubectl create deployment web --image=nginx:1.27 --replicas=2 -n NS')).toEqual({
      namespace: 'k130',
      touched: [{ kind: 'Deployment', namespace: 'k130', name: 'web', change: 'created' }],
    });
    expect(effects('kubectl scale deployment/web --replicas=3 -n NS').touched).toEqual([
      { kind: 'Deployment', namespace: 'k130', name: 'web', change: 'updated' },
    ]);
    expect(effects('kubectl delete -f api.yaml -n NS').touched).toEqual([
      { kind: 'Deployment', namespace: 'k130', name: 'api', change: 'deleted' },
      { kind: 'Service', namespace: 'k130', name: 'api', change: 'deleted' },
    ]);
    expect(effects('kubectl create namespace NS')).toEqual({
      touched: [{ kind: 'Namespace', name: 'k130', change: 'created' }],
    });
    expect(effects('kubectl get pods -A')).toEqual({ namespace: '*', touched: [] });
    expect(effects('kubectl get pods -w -n NS')).toEqual({ namespace: 'k130', touched: [] });
  });

  it('marks invocations that wrote as mutating, and reads and streams as not', () => {
    const mutating = (text: string) => track(recordsOf(captured('kubectl.1.30', text)))[0].mutating;
    expect(mutating('kubectl label deployment web tier=frontend -n NS')).toBe(true);
    const unchanged = track(recordsOf(captured('kubectl.1.30', 'kubectl apply -f api.yaml -n NS', 1)))[0];
    expect(unchanged.mutating).toBe(false); // GETs only
    expect(mutating('kubectl exec -it solo -n NS -- sh')).toBe(false);
    expect(mutating('kubectl port-forward pod/solo 0:80 -n NS')).toBe(false);
  });
});

describe('clients without Kubectl-* headers', () => {
  it('records curl as its product and what it asked', () => {
    const line = capture.lines.find((candidate) => candidate.client === 'curl') as CapturedLine;
    const [invocation] = track(recordsOf(line));
    expect(invocation.client).toMatch(/^curl\/\d/);
    expect(invocation.line).toBe(`${invocation.client} GET pods`);
    expect(invocation.mutating).toBe(false);
    // Never a shell command a lab's `^curl\s` check would take for the student's curl.
    expect(/^curl\s/.test(invocation.line)).toBe(false);
  });

  it('records @kubernetes/client-node by its User-Agent product, writes included', () => {
    const line = capture.lines.find((candidate) => candidate.client === 'client-node') as CapturedLine;
    const [invocation, ...rest] = track(recordsOf(line));
    expect(rest).toEqual([]);
    const product = line.requests[0].userAgent?.split(' ')[0] ?? 'unknown-client';
    expect(invocation.client).toBe(product);
    expect(invocation.line).toBe(`${product} GET pods, POST configmaps, DELETE configmaps/from-node`);
    expect(invocation.mutating).toBe(true);
    expect(invocation.effects.touched).toEqual([
      { kind: 'ConfigMap', namespace: 'default', name: 'from-node', change: 'deleted' },
    ]);
  });

  it('records a client without a User-Agent as unknown-client, and another client only discovering not at all', () => {
    const curl = recordsOf(capture.lines.find((candidate) => candidate.client === 'curl') as CapturedLine);
    const anonymous = curl.map(({ userAgent: _agent, ...rest }) => rest);
    expect(track(anonymous).map((invocation) => invocation.line)).toEqual(['unknown-client GET pods']);
    const probe = captured('dispatcher', 'kubectl get pods').requests[0];
    const discovery = { ...recordOf(probe), userAgent: 'k9s/v0.32.5 (linux/amd64)' };
    expect(track([discovery])).toEqual([]);
  });

  it('ends a client that never pauses after CLIENT_SPAN_MS, so a poller is recorded as it goes', () => {
    const [get] = recordsOf(capture.lines.find((candidate) => candidate.client === 'curl') as CapturedLine);
    const tracker = new InvocationTracker();
    const out: Invocation[] = [];
    for (let at = 0; at <= CLIENT_SPAN_MS + 1000; at += 1000) {
      out.push(...tracker.add({ ...get, at }));
      out.push(...tracker.flush(at));
    }
    expect(out).toHaveLength(1);
    expect(out[0].line).toMatch(/^curl\/\S+ GET pods ×61$/);
  });
});

describe('InvocationTracker grouping', () => {
  const lines130 = capture.lines.filter((line) => line.client === 'kubectl.1.30' && line.requests.length > 0);

  it('rebuilds a whole session of lines in order, each closed by the next or by the quiet gap', () => {
    const tracker = new InvocationTracker();
    const out: Invocation[] = [];
    let base = 0;
    for (const line of lines130) {
      for (const record of recordsOf(line, base)) {
        out.push(...tracker.add(record));
        out.push(...tracker.flush(record.at));
      }
      // A person types the next line: sometimes quicker than the gap, sometimes slower.
      const took = Math.max(...line.requests.map((request) => request.at));
      base += took + (lines130.indexOf(line) % 2 === 0 ? 5_000 : 800);
      out.push(...tracker.flush(base));
    }
    out.push(...tracker.flushAll());
    const one = (line: CapturedLine) => track(recordsOf(line))[0].line;
    expect(out.map((invocation) => invocation.line)).toEqual(lines130.map(one));
  });

  it('keeps an invocation open until the quiet gap has passed', () => {
    const line = captured('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS');
    const records = recordsOf(line, 10_000);
    const tracker = new InvocationTracker();
    for (const record of records) expect(tracker.add(record)).toEqual([]);
    const last = records[records.length - 1].at;
    expect(tracker.flush(last + QUIET_GAP_MS - 1)).toEqual([]);
    expect(tracker.flush(last + QUIET_GAP_MS).map((invocation) => invocation.line)).toEqual([
      'kubectl scale deployment web --replicas=3 -n k130',
    ]);
    expect(tracker.openCount).toBe(0);
  });

  it('waits for a request that was begun (a write queued behind terminal commands) before it ends the line', () => {
    const [get, patch] = recordsOf(
      captured('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS'),
    );
    const tracker = new InvocationTracker();
    tracker.begin(get, get.at);
    tracker.add(get);
    tracker.begin(patch, patch.at);
    expect(tracker.flush(patch.at + 10 * QUIET_GAP_MS)).toEqual([]);
    tracker.add({ ...patch, at: patch.at + 10 * QUIET_GAP_MS });
    const [invocation] = tracker.flush(patch.at + 12 * QUIET_GAP_MS);
    expect(invocation.line).toBe('kubectl scale deployment web --replicas=3 -n k130');
    expect(invocation.mutating).toBe(true);
  });

  it('gives kubectl edit the editor’s time between its GET and its PATCH', () => {
    const records = recordsOf(captured('kubectl.1.30', 'kubectl edit deployment web -n NS'));
    const patch = records[records.length - 1];
    const tracker = new InvocationTracker();
    for (const record of records.slice(0, -1)) tracker.add(record);
    const typing = 5 * 60_000;
    expect(tracker.flush(patch.at + typing)).toEqual([]);
    tracker.add({ ...patch, at: patch.at + typing });
    expect(tracker.flush(patch.at + typing + QUIET_GAP_MS)).toEqual([]);
    const [invocation] = tracker.flush(patch.at + typing + EDIT_GAP_MS);
    expect(invocation).toMatchObject({ line: 'kubectl edit deployment web -n k130', mutating: true });
  });

  it('drops a late read of a recorded invocation and records a late write as a line of its own', () => {
    const records = recordsOf(
      captured('kubectl.1.30', 'kubectl rollout status deployment/web -n NS --timeout=5s'),
    );
    const tracker = new InvocationTracker();
    for (const record of records) tracker.add(record);
    const last = records[records.length - 1];
    expect(tracker.flush(last.at + QUIET_GAP_MS)).toHaveLength(1);
    // The watch timed out (timeoutSeconds) and kubectl opened it again: nothing new for the history.
    expect(tracker.add({ ...last, at: last.at + 300_000 })).toEqual([]);
    expect(tracker.flushAll()).toEqual([]);
    const scale = recordsOf(captured('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS'));
    const lateWrite = { ...scale[1], kubectlSession: last.kubectlSession, at: last.at + 400_000 };
    const [recorded] = tracker.add(lateWrite);
    expect(recorded).toMatchObject({ mutating: true, requests: 1 });
  });

  it('does not end an invocation with a request in flight when another kubectl starts', () => {
    const watch = recordsOf(captured('kubectl.1.30', 'kubectl get pods -w -n NS'));
    const scale = recordsOf(
      captured('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS'),
      10_000,
    );
    const tracker = new InvocationTracker();
    tracker.add(watch[0]);
    tracker.begin(watch[1], watch[1].at);
    // The scale's first request would end every idle invocation; the watch is waiting for its answer.
    expect(tracker.add(scale[0])).toEqual([]);
    tracker.add(watch[1]);
    const ended = tracker.add(scale[1]);
    expect(ended).toEqual([]);
    expect(tracker.flushAll().map((invocation) => invocation.line)).toEqual([
      'kubectl get pods -w -n k130',
      'kubectl scale deployment web --replicas=3 -n k130',
    ]);
  });

  it('ignores the dispatcher’s /version probe', () => {
    const line = captured('dispatcher', 'kubectl get pods');
    const tracker = new InvocationTracker();
    expect(tracker.add(recordOf(line.requests[0]))).toEqual([]);
    expect(tracker.openCount).toBe(0);
  });

  it('takes a request kubectl retried after 429 as the success it became', () => {
    const [get, patch] = recordsOf(
      captured('kubectl.1.30', 'kubectl scale deployment/web --replicas=3 -n NS'),
    );
    const limited = { ...patch, status: 429, at: patch.at - 1 };
    expect(track([get, limited, patch])[0].exitCode).toBe(0);
    expect(track([get, limited])[0].exitCode).toBe(1);
  });
});

describe('pieces', () => {
  it('tells writes from reads, streams and reviews', () => {
    expect(isMutatingRequest('POST', '/api/v1/namespaces/default/pods')).toBe(true);
    expect(isMutatingRequest('patch', '/apis/apps/v1/namespaces/default/deployments/web/scale')).toBe(true);
    expect(isMutatingRequest('DELETE', '/api/v1/namespaces/default/pods/solo')).toBe(true);
    expect(isMutatingRequest('GET', '/api/v1/namespaces/default/pods')).toBe(false);
    expect(isMutatingRequest('POST', '/api/v1/namespaces/default/pods/solo/exec')).toBe(false);
    expect(isMutatingRequest('POST', '/api/v1/namespaces/default/pods/solo/portforward')).toBe(false);
    expect(isMutatingRequest('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).toBe(false);
  });

  it('parses API paths with the engine’s resource registry', () => {
    expect(parseResourcePath('/apis/apps/v1/namespaces/shop/deployments/web/scale')).toMatchObject({
      group: 'apps',
      resource: 'deployments',
      namespace: 'shop',
      name: 'web',
      subresource: 'scale',
      info: { kind: 'Deployment', singular: 'deployment' },
    });
    expect(parseResourcePath('/api/v1/namespaces/shop')).toMatchObject({
      resource: 'namespaces',
      name: 'shop',
    });
    expect(parseResourcePath('/api/v1/pods')).toMatchObject({ resource: 'pods' });
    expect(parseResourcePath('/apis/example.com/v1/namespaces/a/widgets/w')).toMatchObject({
      resource: 'widgets',
      name: 'w',
    });
    expect(parseResourcePath('/apis/apps/v1/namespaces/a/deployments/%E0%A4')).toBeUndefined();
    expect(parseResourcePath('/apis')).toBeUndefined();
    expect(parseResourcePath('/openapi/v3/apis/apps/v1')).toBeUndefined();
  });

  it('quotes words a shell would split or expand', () => {
    expect(shellWord('deployment/web')).toBe('deployment/web');
    expect(shellWord('--from-literal=a=b')).toBe('--from-literal=a=b');
    expect(shellWord('hello world')).toBe(`'hello world'`);
    expect(shellWord(`it's`)).toBe(`'it'\\''s'`);
    expect(shellWord('$(minikube ip)')).toBe(`'$(minikube ip)'`);
    expect(shellWord('')).toBe(`''`);
  });

  it('reads an autoscaler’s CPU target in autoscaling/v1 (kubectl 1.30) and v2 (kubectl 1.33) form', () => {
    const v1 = {
      kind: 'HorizontalPodAutoscaler',
      spec: { maxReplicas: 3, targetCPUUtilizationPercentage: 70 },
    };
    const v2 = {
      kind: 'HorizontalPodAutoscaler',
      spec: {
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    };
    expect(summarizeRequestBody(v1)).toMatchObject({ maxReplicas: 3, cpuPercent: 70 });
    expect(summarizeRequestBody(v2)).toMatchObject({ maxReplicas: 3, cpuPercent: 70 });
  });

  it('never keeps a Secret’s values, and cuts long texts', () => {
    const secret = summarizeRequestBody({
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: 'c2VjcmV0' },
      stringData: { token: 'plain' },
    });
    expect(JSON.stringify(secret)).not.toMatch(/c2VjcmV0|plain/);
    expect(secret.keys).toEqual(['password']);
    const long = summarizeRequestBody({ kind: 'ConfigMap', metadata: { name: 'x'.repeat(1000) } });
    expect(long.name).toHaveLength(200);
    expect(summarizeRequestBody('not an object', 'application/json')).toEqual({});
    expect(summarizeRequestBody([{ op: 'remove', path: '/x' }], 'application/json-patch+json')).toEqual({
      patchType: 'json',
      patch: '[{"op":"remove","path":"/x"}]',
    });
  });
});
