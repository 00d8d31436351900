// Scratch profiler (helper P; deleted before finishing).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { ManualClock } from '../src/engine/clock/clock';
import { createCluster } from '../src/engine/cluster';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';

const START = Date.UTC(2024, 5, 3, 2, 15, 0);
class Sink implements TerminalIO { out = ''; err = ''; stdout(c: string) { this.out += c; } stderr(c: string) { this.err += c; } }
async function run(t: LabTerminal, line: string) { const s = new Sink(); const code = await t.run(line, s); if (code) throw new Error(line + s.err); }
async function student(seed: number) {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed, clock });
  const t = new LabTerminal(cluster);
  await run(t, 'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1');
  await run(t, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(t, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  await run(t, 'kubectl create namespace lab');
  await run(t, 'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab');
  await run(t, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) { clock.set(Math.max(due, clock.now())); cluster.sync(); }
  return cluster;
}
const post = <T>(s: Session, m: string, p?: object) => new Promise<T>((res, rej) => s.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r as T))));
async function main() {
  const N = Number(process.env.N ?? 3000);
  for (let i = 0; i < 500; i++) await student(1e6 + i);
  const s = new Session(); s.connect();
  await post(s, 'Profiler.enable'); await post(s, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(s, 'Profiler.start');
  const c0 = process.cpuUsage(); const t0 = Date.now();
  for (let i = 0; i < N; i++) await student(i + 1);
  const cpu = process.cpuUsage(c0); const wall = (Date.now() - t0) / 1000;
  const { profile } = await post<{ profile: any }>(s, 'Profiler.stop');
  writeFileSync(process.env.OUT ?? '/tmp/p.cpuprofile', JSON.stringify(profile));
  console.log(`wall ${(N / wall).toFixed(0)}/s cpu ${(N / ((cpu.user + cpu.system) / 1e6)).toFixed(0)}/s`);
}
void main();
