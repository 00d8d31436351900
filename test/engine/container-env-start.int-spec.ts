/**
 * A container's environment is fixed when the kubelet creates it: a ConfigMap changed later reaches neither
 * `kubectl exec` nor the log of the running instance, only a container started after the change (as in
 * Kubernetes, where env values from ConfigMaps and Secrets are not updated in running pods), and `sh -c` in
 * `kubectl exec` expands those variables.
 */
import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';

const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
const cluster = createCluster({ seed: 7, clock });
const terminal = new LabTerminal(cluster);

async function run(line: string): Promise<string> {
  let out = '';
  const code = await terminal.run(line, { stdout: (c) => (out += c), stderr: (c) => (out += c) });
  expect({ line, code, out }).toMatchObject({ code: 0 });
  return out;
}

function advance(ms: number): void {
  clock.advance(ms);
  cluster.sync();
}

const POD = [
  "kubectl apply -f - <<'EOF'",
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: app',
  'spec:',
  '  containers:',
  '  - name: app',
  '    image: busybox:1.36',
  '    command: ["sh", "-c", "echo MODE=$MODE; sleep 3600"]',
  '    envFrom:',
  '    - configMapRef:',
  '        name: cfg',
  'EOF',
].join('\n');

describe('container environment from a ConfigMap', () => {
  it('keeps the value the container started with until a new container starts', async () => {
    await run('kubectl create configmap cfg --from-literal=MODE=debug');
    await run(POD);
    advance(30_000);
    expect(await run('kubectl exec app -- printenv MODE')).toBe('debug\n');

    await run(`kubectl patch configmap cfg -p '{"data":{"MODE":"production"}}'`);
    advance(120_000);
    expect(await run('kubectl exec app -- printenv MODE')).toBe('debug\n');
    expect(await run('kubectl logs app')).toBe('MODE=debug\n');

    await run('kubectl delete pod app --grace-period=0 --force');
    await run(POD);
    advance(30_000);
    expect(await run('kubectl exec app -- printenv MODE')).toBe('production\n');
    expect(await run('kubectl logs app')).toBe('MODE=production\n');
    // sh -c expands the container's variables as sh does: not inside single quotes.
    expect(await run(`kubectl exec app -- sh -c 'echo $MODE "\${MODE}" \\$MODE; echo '"'"'$MODE'"'"`)).toBe(
      'production production $MODE\n$MODE\n',
    );
  });
});
