/**
 * `npm run bench:docker`: figures for the Docker driver on a private dockerd (instance "bench"), printed,
 * never asserted. Each latency is a median over several runs, next to a baseline measured in the same run:
 * a bare `docker exec true` round trip into the same kind of container.
 *   targets: warm-pool claim ≤ 300 ms, cold provision ≤ 2 s, exec round trip ≤ 100 ms
 */
import type { ClusterRef } from '../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../src/clusters/docker/docker-cluster-driver';
import { controlPlaneName } from '../src/clusters/docker/provisioning';
import {
  driverSettings,
  execIn,
  neverAborted,
  recordingSink,
  startSingleEngine,
  wipeEngine,
} from '../test/docker/support/docker-env';

const COLD_RUNS = 5;
const CLAIM_RUNS = 5;
const EXEC_RUNS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const engine = await startSingleEngine('bench');
  await wipeEngine(engine.docker);
  const request = (clusterId: string) => ({
    clusterId,
    labSessionId: 'bench',
    ownerId: 'bench',
    nodeCount: 1,
  });
  const cold = new DockerClusterDriver(driverSettings([engine], engine.image));
  const pooled = new DockerClusterDriver(driverSettings([engine], engine.image, { warmPoolSize: 1 }));
  try {
    const coldTimes: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      let ref: ClusterRef | undefined;
      coldTimes.push(
        await timed(async () => (ref = await cold.provision(request(`cold-${i}`), () => undefined))),
      );
      if (ref) await cold.destroy(ref);
    }

    const claimTimes: number[] = [];
    for (let i = 0; i < CLAIM_RUNS; i++) {
      await pooled.fillWarmPool(); // a ready cluster waits, and no refill competes with the claim
      let ref: ClusterRef | undefined;
      claimTimes.push(
        await timed(async () => (ref = await pooled.provision(request(`claim-${i}`), () => undefined))),
      );
      if (String(ref?.attachState.key).startsWith('pool-') !== true)
        throw new Error('the claim was not served by the pool');
      await pooled.fillWarmPool();
      if (ref) await pooled.destroy(ref);
    }

    const ref = await cold.provision({ ...request('exec'), nodeCount: 2 }, () => undefined);
    const container = controlPlaneName('exec');
    const baseline: number[] = [];
    const execTimes: number[] = [];
    for (let i = 0; i < EXEC_RUNS; i++) {
      baseline.push(await timed(() => execIn(engine.docker, container, ['true'])));
      execTimes.push(
        await timed(async () => {
          const sink = recordingSink();
          const { exitCode } = await cold.exec(ref, 'kubectl get pods', sink, neverAborted());
          if (exitCode !== 0) throw new Error(`kubectl get pods exited ${exitCode}: ${sink.stderrText()}`);
        }),
      );
    }
    const controlPlane = await engine.docker.stats(container);
    const worker = await engine.docker.stats(`kubelab-exec-minikube-m02`);
    await cold.destroy(ref);

    const base = median(baseline);
    const rows: [string, string, string][] = [
      ['baseline: bare `docker exec true`', ms(base), '1.00x'],
      [
        'exec round trip `kubectl get pods`',
        ms(median(execTimes)),
        `${(median(execTimes) / base).toFixed(2)}x (target ≤ 100 ms)`,
      ],
      [
        'warm-pool claim',
        ms(median(claimTimes)),
        `${(median(claimTimes) / base).toFixed(2)}x (target ≤ 300 ms)`,
      ],
      [
        'cold provision (1 node)',
        ms(median(coldTimes)),
        `${(median(coldTimes) / base).toFixed(2)}x (target ≤ 2000 ms)`,
      ],
      [
        'memory: control-plane container',
        mib(controlPlane.memoryBytes),
        `limit ${mib(controlPlane.memoryLimitBytes)}`,
      ],
      ['memory: worker container', mib(worker.memoryBytes), `limit ${mib(worker.memoryLimitBytes)}`],
    ];
    const info = await engine.docker.info();
    console.log(
      `Docker driver benchmark — Docker ${info.version}, image ${engine.image}, medians of ${COLD_RUNS} cold / ${CLAIM_RUNS} claims / ${EXEC_RUNS} execs`,
    );
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [name, value, note] of rows)
      console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
  } finally {
    await Promise.all([cold.close(), pooled.close()]);
    await wipeEngine(engine.docker);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
