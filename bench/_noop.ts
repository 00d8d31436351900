// Scratch (helper P; deleted before finishing).
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/engine/clock/clock';
import { createCluster } from '../src/engine/cluster';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';
const START = Date.UTC(2024, 5, 3, 2, 15, 0);
class Sink implements TerminalIO { out = ''; err = ''; stdout(c: string) { this.out += c; } stderr(c: string) { this.err += c; } }
async function run(t: LabTerminal, line: string) { const s = new Sink(); const code = await t.run(line, s); if (code) throw new Error(line + s.err); }
const stat = new Map<string, { noop: number; noopT: number; work: number; workT: number }>();
async function student(seed: number, measure: boolean) {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed, clock });
  if (measure) for (const c of (cluster as any).controllers as any[]) {
    const orig = c.reconcile.bind(c); const name = c.constructor.name;
    c.reconcile = () => { const rv = cluster.store.revision; const tz = cluster.timers.size; const t0 = performance.now(); orig(); const dt = performance.now() - t0;
      let s = stat.get(name); if (!s) stat.set(name, s = { noop: 0, noopT: 0, work: 0, workT: 0 });
      if (rv === cluster.store.revision && tz === cluster.timers.size) { s.noop++; s.noopT += dt; } else { s.work++; s.workT += dt; } };
  }
  const t = new LabTerminal(cluster);
  await run(t, 'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
  await run(t, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(t, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  await run(t, 'kubectl create namespace lab');
  await run(t, 'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab');
  await run(t, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) { clock.set(Math.max(due, clock.now())); cluster.sync(); }
}
async function main() {
  for (let i = 0; i < 500; i++) await student(1e6 + i, false);
  const N = 1000; const t0 = performance.now();
  for (let i = 0; i < N; i++) await student(i + 1, true);
  const total = (performance.now() - t0) / N;
  console.log('ms/cluster', total.toFixed(3));
  for (const [k, s] of stat) console.log(k.padEnd(24), 'noop', (s.noop / N).toFixed(1), (1000 * s.noopT / N).toFixed(0) + 'us', ' work', (s.work / N).toFixed(1), (1000 * s.workT / N).toFixed(0) + 'us');
}
void main();
