/**
 * `node -r ./scripts/swc-register.cjs scripts/protobuf/capture-fixtures.ts [--print]`: runs real kubectl 1.31, 1.32
 * and 1.33 (the binaries beside kubectl.1.30, called directly, not through the dispatcher) against an in-process
 * `engine serve` behind a recording proxy on 127.0.0.1, and writes every request body they send as
 * `application/vnd.kubernetes.protobuf` to src/engine/http/protobuf/fixtures/ (the bytes as sent, base64), each
 * beside the JSON body kubectl 1.31 sent for the same command. The decoder's unit spec replays them. `--print`
 * lists every request with its content type instead of writing files (to find out which requests are protobuf).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { RealClock, ManualClock } from '../../src/engine/clock/clock';
import { createCluster, restoreCluster } from '../../src/engine/cluster';
import { ApiHandler } from '../../src/engine/http/handler';
import { makeServingCertificates } from '../../src/engine/http/tls';
import { clientKubeconfigText } from '../../src/engine/store/kubeconfig';

const BIN = '/usr/lib/google-cloud-sdk/bin';
export const CAPTURED_VERSIONS = ['1.31', '1.32', '1.33'] as const;
const FIXTURES = path.resolve(__dirname, '..', '..', 'src', 'engine', 'http', 'protobuf', 'fixtures');

/** The commands, by key; `S` is replaced by the version's suffix (131, 132, 133) so versions do not collide. */
export const CAPTURED_COMMANDS: [key: string, line: string][] = [
  ['create-namespace', 'create namespace ns-S'],
  ['create-deployment', 'create deployment web-S --image=nginx:1.27 --replicas=2 --port=80'],
  ['create-deployment-zero', 'create deployment zero-S --image=busybox --replicas=0 -- sleep 3600'],
  ['create-job', 'create job job-S --image=busybox -- echo hi'],
  [
    'create-cronjob',
    'create cronjob cron-S --image=busybox --schedule=*/5_*_*_*_* --restart=OnFailure -- echo hi',
  ],
  ['create-service-clusterip', 'create service clusterip cip-S --tcp=80:8080 --tcp=443:https'],
  ['create-service-clusterip-headless', 'create service clusterip hl-S --clusterip=None'],
  ['create-service-nodeport', 'create service nodeport np-S --tcp=5678:8080'],
  ['create-service-loadbalancer', 'create service loadbalancer lb-S --tcp=80:8080'],
  ['create-service-externalname', 'create service externalname ext-S --external-name=example.com'],
  ['create-configmap', 'create configmap cm-S --from-literal=a=b --from-literal=c=d --from-file=data.txt'],
  ['create-secret-generic', 'create secret generic sec-S --from-literal=a=b --from-file=data.txt'],
  ['create-secret-tls', 'create secret tls tls-S --cert=tls.crt --key=tls.key'],
  [
    'create-secret-docker-registry',
    'create secret docker-registry reg-S --docker-server=r.example --docker-username=u --docker-password=p --docker-email=u@example.com',
  ],
  ['create-serviceaccount', 'create serviceaccount sa-S'],
  ['create-role', 'create role role-S --verb=get,list --resource=pods,deployments.apps --resource-name=a'],
  ['create-rolebinding', 'create rolebinding rb-S --role=role-S --user=alice --serviceaccount=default:sa-S'],
  ['create-clusterrole', 'create clusterrole cr-S --aggregation-rule=x=y'],
  [
    'create-clusterrole-plain',
    'create clusterrole crp-S --verb=get --resource=nodes --non-resource-url=/logs',
  ],
  ['create-clusterrolebinding', 'create clusterrolebinding crb-S --clusterrole=crp-S --group=devs'],
  ['create-quota', 'create quota q-S -n ns-S --hard=pods=10,cpu=2,memory=1Gi --scopes=NotTerminating'],
  [
    'create-priorityclass',
    'create priorityclass pc-S --value=1000 --description=x --preemption-policy=Never',
  ],
  ['create-poddisruptionbudget', 'create poddisruptionbudget pdb-S --selector=app=web --min-available=1'],
  [
    'create-poddisruptionbudget-percent',
    'create poddisruptionbudget pdbp-S --selector=app=web --max-unavailable=50%',
  ],
  ['create-ingress', 'create ingress ing-S --class=nginx --rule=foo.com/bar*=svc1:8080,tls=my-cert'],
  ['create-token', 'create token sa-S --duration=1h'],
  ['autoscale', 'autoscale deployment web-S --min=2 --max=3 --cpu-percent=50'],
  ['run', 'run pod-S --image=nginx --labels=app=pod-S --port=80'],
  ['expose', 'expose deployment web-S --port=80 --name=exp-S'],
  ['scale', 'scale deployment web-S --replicas=3'],
  ['label', 'label deployment web-S tier=fe'],
  ['annotate', 'annotate deployment web-S note=x'],
  ['set-image', 'set image deployment/web-S nginx=nginx:1.28'],
  ['rollout-undo', 'rollout undo deployment/web-S'],
  ['apply', 'apply -f manifest-S.yaml'],
  ['create-f', 'create -f pod-S.yaml'],
  ['replace', 'replace -f pod-S.yaml'],
  ['auth-can-i', 'auth can-i get pods'],
  ['auth-whoami', 'auth whoami'],
  ['cordon', 'cordon minikube'],
  ['drain', 'drain minikube --pod-selector=app=pod-S --ignore-daemonsets --force --timeout=20s'],
  ['uncordon', 'uncordon minikube'],
  ['delete', 'delete deployment web-S'],
];

interface Recorded {
  version: string;
  key: string;
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

function manifests(dir: string, suffix: string): void {
  fs.writeFileSync(path.join(dir, 'data.txt'), 'file contents\n');
  fs.writeFileSync(
    path.join(dir, `manifest-${suffix}.yaml`),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-${suffix}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n`,
  );
  fs.writeFileSync(
    path.join(dir, `pod-${suffix}.yaml`),
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo-${suffix}\nspec:\n  containers:\n  - name: c\n    image: busybox\n`,
  );
}

/** One kubectl run (asynchronous: the engine it talks to runs in this process). */
function kubectl(
  version: string,
  words: string[],
  cwd: string,
  home: string,
  kubeconfig: string,
): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    execFile(
      `${BIN}/kubectl.${version}`,
      words,
      { cwd, env: { HOME: home, PATH: '/usr/bin:/bin', KUBECONFIG: kubeconfig }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code ?? String(error.signal)) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

async function main(): Promise<void> {
  const print = process.argv.includes('--print');
  const manual = new ManualClock(Date.now());
  const cluster = restoreCluster(createCluster({ seed: 1, clock: manual }).snapshot(), {
    clock: new RealClock(),
  });
  let address = '127.0.0.1:0';
  const handler = new ApiHandler({ cluster, address: () => address });
  const engine = http.createServer(handler.handle);
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  const enginePort = (engine.address() as { port: number }).port;

  const recorded: Recorded[] = [];
  let current = { version: '', key: '' };
  // The recording proxy: buffers each request's body, keeps it, and forwards the request to the engine unchanged.
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      recorded.push({
        ...current,
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: String(req.headers['content-type'] ?? ''),
        body,
      });
      const forward = http.request(
        { host: '127.0.0.1', port: enginePort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(proxy.address() as { port: number }).port}`;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-capture-'));
  const certs = makeServingCertificates();
  fs.writeFileSync(path.join(dir, 'tls.crt'), certs.serverCert);
  fs.writeFileSync(path.join(dir, 'tls.key'), certs.serverKey);
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, clientKubeconfigText({ server: `http://${address}`, token: 'kubelab' }));

  try {
    for (const version of CAPTURED_VERSIONS) {
      const suffix = version.replace('.', '');
      manifests(dir, suffix);
      fs.mkdirSync(path.join(dir, `home-${suffix}`), { recursive: true });
      for (const [key, template] of CAPTURED_COMMANDS) {
        current = { version, key };
        // Words are split on spaces; `_` stands for a space inside one word (the cron schedule).
        const words = template
          .replace(/\bS\b|-S\b/g, (m) => m.replace('S', suffix))
          .split(' ')
          .map((w) => w.replace(/_/g, ' '));
        const result = await kubectl(version, words, dir, path.join(dir, `home-${suffix}`), kubeconfig);
        if (print)
          process.stdout.write(`# ${version} ${words.join(' ')} -> ${result.code}\n${result.output}`);
      }
    }
  } finally {
    proxy.close();
    handler.close();
    engine.close();
    proxy.closeAllConnections();
    engine.closeAllConnections();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const writes = recorded.filter((r) => r.body.length > 0);
  if (print) {
    for (const r of writes)
      process.stdout.write(`${r.version} ${r.key} ${r.method} ${r.path} ${r.contentType}\n`);
    return;
  }
  const index: object[] = [];
  for (const r of writes) {
    if (!r.contentType.startsWith('application/vnd.kubernetes.protobuf')) continue;
    // The JSON body kubectl 1.31 sent for the same command and the same path shape (the name suffix aside).
    const shape = (p: string) => p.replace(/\d{3}/g, 'N');
    const json = writes.find(
      (j) =>
        j.version === '1.31' && j.key === r.key && j.method === r.method && shape(j.path) === shape(r.path),
    );
    const file = `${r.version.replace('.', '')}-${r.key}.json`;
    fs.writeFileSync(
      path.join(FIXTURES, file),
      JSON.stringify(
        {
          version: r.version,
          command: r.key,
          method: r.method,
          path: r.path,
          contentType: r.contentType,
          body: r.body.toString('base64'),
          json131:
            json && json.contentType.startsWith('application/json') ? JSON.parse(json.body.toString()) : null,
        },
        null,
        1,
      ) + '\n',
    );
    index.push({ file, version: r.version, command: r.key, method: r.method, path: r.path });
  }
  process.stdout.write(`${index.length} protobuf bodies written to ${FIXTURES}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
