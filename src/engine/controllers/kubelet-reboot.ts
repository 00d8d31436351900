/**
 * What the kubelet finds when its node comes back after `minikube stop` / `minikube start`: the node's container
 * runtime was shut down with it, so every running container ended when the node went down, and the kubelet starts
 * each pod again in a new sandbox (SandboxChanged), each container a new instance: RESTARTS goes up by one and
 * Last State shows the instance that ended at the stop. Containers that had already ended stay as they were.
 */
import type { Pod } from '../api/types';
import { ignoresSigterm, type PodRecord, type PodWorker } from './kubelet-state';
import { probesOnStart } from './prober';

/** How long after the node is up the kubelet restarts its pods (sandbox, then containers). */
const SANDBOX_AFTER_MS = 3_000;
const CONTAINER_AFTER_MS = 1_000;

export function rebootPods(
  kubelet: PodWorker,
  records: PodRecord[],
  downAt: number,
  upAt: number,
  podOf: (rec: PodRecord) => Pod | undefined,
): void {
  for (const rec of records) {
    const pod = podOf(rec);
    if (!pod) continue;
    const running = rec.containers.filter((c) => c.stage === 'running');
    if (running.length === 0) continue;
    const sandboxAt = upAt + SANDBOX_AFTER_MS;
    kubelet.ctx.events.record(
      pod,
      'Normal',
      'SandboxChanged',
      'Pod sandbox changed, it will be killed and re-created.',
      { component: 'kubelet', host: rec.node },
    );
    for (const c of running) {
      // The runtime's shutdown sends SIGTERM: a program that ignores it is killed when the grace period ends.
      const stubborn = ignoresSigterm(c.image);
      c.priorExit = c.lastExit;
      c.lastExit = {
        exitCode: stubborn ? 137 : 0,
        reason: stubborn ? 'Error' : 'Completed',
        startedAt: c.startedAt ?? downAt,
        finishedAt: downAt,
        containerId: c.containerId ?? '',
        env: c.env,
      };
      c.restarts++;
      c.containerId = kubelet.ctx.random.hex(64);
      c.startedAt = sandboxAt + CONTAINER_AFTER_MS;
      // A new instance: a fresh writable layer, no requests served yet.
      c.files = undefined;
      c.served = [];
      c.probeRequests = undefined;
      if (c.probes) probesOnStart(c, c.startedAt, c.startedAt + kubelet.ctx.random.int(300, 1000));
      kubelet.record(
        pod,
        'Normal',
        'Pulled',
        `Container image "${c.image}" already present on machine`,
        c.name,
      );
      kubelet.record(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
      kubelet.record(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
    }
    kubelet.schedule(rec, upAt);
  }
}
