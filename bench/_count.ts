// Scratch counter (helper P; deleted before finishing).
import { ManualClock } from '../src/engine/clock/clock';
import { createCluster } from '../src/engine/cluster';
import { ObjectStore } from '../src/engine/store/store';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';
const START = Date.UTC(2024, 5, 3, 2, 15, 0);
class Sink implements TerminalIO { out = ''; err = ''; stdout(c: string) { this.out += c; } stderr(c: string) { this.err += c; } }
async function run(t: LabTerminal, line: string) { const s = new Sink(); const code = await t.run(line, s); if (code) throw new Error(line + s.err); }
const puts = new Map<string, number>();
const origPut = ObjectStore.prototype.put;
ObjectStore.prototype.put = function (r, o) { puts.set(r, (puts.get(r) ?? 0) + 1); return origPut.call(this, r, o); };
async function main() {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed: 1, clock });
  const ctrls = (cluster as any).controllers as any[];
  const calls = new Map<string, number>();
  for (const c of ctrls) { const orig = c.reconcile.bind(c); c.reconcile = () => { calls.set(c.constructor.name, (calls.get(c.constructor.name) ?? 0) + 1); return orig(); }; }
  let rounds = 0; const cl = cluster as any; const origR = cl.reconcile.bind(cl); cl.reconcile = (f: boolean) => { rounds++; return origR(f); };
  let syncs = 0; const origS = cl.sync.bind(cl); cl.sync = () => { syncs++; return origS(); };
  const t = new LabTerminal(cluster);
  puts.clear();
  const rv0 = cluster.revision;
  await run(t, 'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
  await run(t, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(t, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  await run(t, 'kubectl create namespace lab');
  await run(t, 'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab');
  await run(t, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  let timers = 0;
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) { timers++; clock.set(Math.max(due, clock.now())); cluster.sync(); }
  console.log('rv delta', cluster.revision - rv0, 'timer steps', timers, 'reconcile() calls', rounds, 'sync calls', syncs);
  console.log('puts', Object.fromEntries(puts));
  console.log('controller calls', Object.fromEntries(calls));
}
void main();
