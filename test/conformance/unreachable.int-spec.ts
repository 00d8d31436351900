/**
 * kubectl against a stopped minikube (`minikube stop`): the lab terminal on a stopped cluster against real kubectl
 * v1.30 whose kubeconfig points at a closed port, line by line (stdout, stderr, exit code). The lab's server is
 * 192.168.49.2:8443 and the closed port's address is put in its place; klog headers are masked as the oracle masks
 * them (test/oracle/oracle.ts normalize). `engine serve` cannot stand in here: a stopped machine does not listen.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';
import { normalize, render, requireOracle, splitWords, type Outcome } from '../oracle/oracle';
import { KUBECTL_130 } from './serve-harness';

const LINES = [
  'kubectl get pods',
  'kubectl get nodes -o wide',
  'kubectl get pods --request-timeout=1s',
  'kubectl describe pod web',
  'kubectl version',
  'kubectl version --client',
  'kubectl cluster-info',
  'kubectl api-resources',
  'kubectl api-versions',
  'kubectl logs web',
  'kubectl exec web -- ls',
  'kubectl rollout status deployment/web',
  'kubectl explain pods',
  'kubectl taint nodes minikube a=b:NoSchedule',
  'kubectl run web --image=nginx',
  'kubectl top pods',
  'kubectl events',
  'kubectl apply -f deployment.yaml',
  'kubectl apply -f deployment.yaml --validate=false',
  'kubectl delete -f deployment.yaml',
  'kubectl diff -f deployment.yaml',
  'kubectl create deployment web --image=nginx',
  'kubectl create deploy web --image=nginx',
  'kubectl create service nodeport web --tcp=80',
  'kubectl create configmap web --from-literal=a=b',
  'kubectl create secret generic web --from-literal=a=b',
  'kubectl create namespace lab',
  'kubectl create role r --verb=get --resource=pods',
  'kubectl create ingress web --rule=a/=b:80',
  'kubectl create token default',
  'kubectl create quota q --hard=pods=1 -n kube-system',
  'kubectl patch pod web -p \'{"spec":{}}\'',
  'kubectl auth can-i get pods',
  'kubectl get',
  'kubectl config current-context',
];

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function realKubectl(line: string, dir: string, kubeconfig: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL_130,
      splitWords(line).slice(1),
      { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: kubeconfig }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 }),
    );
  });
}

describe('conformance: kubectl against a stopped minikube', () => {
  let dir = '';
  let kubeconfig = '';
  let server = '';
  const cluster = createCluster({ clock: new ManualClock() });
  const terminal = new LabTerminal(cluster);

  beforeAll(async () => {
    requireOracle();
    dir = mkdtempSync(join(tmpdir(), 'kubelab-unreachable-'));
    server = `127.0.0.1:${await closedPort()}`;
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- cluster: {server: "https://${server}", insecure-skip-tls-verify: true}`,
        '  name: minikube',
        'contexts:',
        '- context: {cluster: minikube, user: minikube, namespace: default}',
        '  name: minikube',
        'current-context: minikube',
        'users:',
        '- name: minikube',
        '  user: {token: lab}',
        '',
      ].join('\n'),
    );
    // The same manifest on both sides: the lab home's example deployment.
    let manifest = '';
    await terminal.run('cat deployment.yaml', { stdout: (c) => (manifest += c), stderr: () => {} });
    writeFileSync(join(dir, 'deployment.yaml'), manifest);
    // What `minikube stop` leaves (its lines and timing are minikube-stop-start.transcript's).
    cluster.stopMachine();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(LINES)('%s', async (line) => {
    const real = await realKubectl(line, dir, kubeconfig);
    const lab: Outcome = { stdout: '', stderr: '', code: 0 };
    lab.code = await terminal.run(line, {
      stdout: (c) => (lab.stdout += c),
      stderr: (c) => (lab.stderr += c),
    });
    const address = (o: Outcome): Outcome => ({
      ...o,
      stdout: o.stdout.split(server).join('192.168.49.2:8443'),
      stderr: o.stderr.split(server).join('192.168.49.2:8443'),
    });
    expect(render(normalize(line, lab))).toBe(render(normalize(line, address(real))));
  });
});
