/**
 * The simulated kubelet of every node: sandbox and pod IP, image pulls against the catalogue (kubelet-images.ts),
 * container start, crash loops and probe kills (kubelet-containers.ts), probes (prober.ts: readiness, liveness
 * and startup), content volumes (kubelet-volumes.ts) and graceful termination. Each pod is a small state machine
 * advanced by timers; the pod's status (kubelet-status.ts) is rendered from that state whenever it changes. All
 * state is plain data (kubelet-state.ts) so the cluster can snapshot it.
 */
import type { Container, Node, Pod } from '../api/types';
import { PRELOADED_IMAGES } from '../runtime/images';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { killForProbe, step } from './kubelet-containers';
import { beginImage } from './kubelet-images';
import {
  ignoresSigterm,
  KUBELET_TIMER,
  newContainer,
  newPodRecord,
  shapedPodRecord,
  podSubnetOf,
  SOURCE,
  type ContainerRecord,
  type KubeletState,
  type NodeRecord,
  type PodRecord,
  type PodWorker,
} from './kubelet-state';
import { renderStatus } from './kubelet-status';
import { mountVolumes, noticeVolumeChanges, rewriteVolumes } from './kubelet-volumes';
import { containerStarted, newProbeWorkers, nextProbeAt, Prober } from './prober';

export { renderStatus } from './kubelet-status';
export * from './kubelet-state';

export class Kubelet implements Controller, PodWorker {
  readonly watches = ['pods', 'nodes', 'configmaps', 'secrets'] as const;

  private pods = new Map<string, PodRecord>();
  private nodes = new Map<string, NodeRecord>();
  /** The store revision when the last reconcile pass began (-1: none yet, the next one looks at everything). */
  private lastPass = -1;
  /** Namespaces of the pods whose records timer steps changed since the last pass. */
  private touched = new Set<string>();
  /** Its targets (network, container runtime) are attached by the cluster once they exist. */
  readonly prober = new Prober({
    event: (pod, type, reason, message, container) => this.record(pod, type, reason, message, container),
    kill: (pod, _rec, c, type, now) => killForProbe(this, pod, c, type, now),
    syncDelay: () => this.ctx.random.int(20, 120),
  });

  constructor(readonly ctx: ControllerContext) {}

  // ---------------------------------------------------------------- state

  state(): KubeletState {
    return { pods: [...this.pods.values()], nodes: Object.fromEntries(this.nodes) };
  }

  load(state: KubeletState): void {
    this.pods = new Map(state.pods.map((p) => [p.uid, shapedPodRecord(p)]));
    this.nodes = new Map(Object.entries(state.nodes));
    this.lastPass = -1;
  }

  nodeRecord(name: string): NodeRecord {
    let rec = this.nodes.get(name);
    if (!rec) {
      rec = { images: {}, pullerFreeAt: 0, lastIp: 1 };
      for (const ref of PRELOADED_IMAGES) rec.images[ref] = 0;
      this.nodes.set(name, rec);
    }
    return rec;
  }

  /**
   * A container's main process ends on its own now, with `exitCode` (an attached shell's `exit N`): from here it is
   * handled like any exit, the restart policy deciding what follows.
   */
  endMainProcess(uid: string | undefined, container: string, exitCode: number): void {
    const rec = this.podRecord(uid);
    const c = rec?.containers.find((x) => x.name === container);
    if (!rec || !c || c.stage !== 'running') return;
    const now = this.ctx.now();
    c.exitCode = exitCode;
    c.exitReason = exitCode === 0 ? 'Completed' : 'Error';
    c.nextAt = now;
    this.schedule(rec, now);
  }

  podRecord(uid: string | undefined): PodRecord | undefined {
    return uid ? this.pods.get(uid) : undefined;
  }

  /** Registers a pod that is already running (the system pods a fresh minikube boots with). */
  adoptRunning(pod: Pod, record: PodRecord): void {
    this.pods.set(pod.metadata.uid!, record);
  }

  // ---------------------------------------------------------------- reconcile (level-triggered)

  /**
   * What a pass over a pod reads: the pod, the ConfigMaps and Secrets of its namespace (volume sources), the nodes,
   * and its record (changed only by timer steps, which note the namespace in `touched`). A namespace where none of
   * them moved since the last pass holds nothing to do, and is skipped; so is the rest of a big cluster.
   */
  reconcile(forced?: boolean): void {
    const { store } = this.ctx;
    const since = this.lastPass;
    this.lastPass = store.revision;
    const touched = this.touched;
    this.touched = new Set();
    const all = forced || since < 0 || store.changedSince(['nodes'], since);
    const dirty = (namespace: string) =>
      all ||
      touched.has(namespace) ||
      store.changedInSince('pods', namespace, since) ||
      store.changedInSince('configmaps', namespace, since) ||
      store.changedInSince('secrets', namespace, since);
    const now = this.ctx.now();
    const live = new Set<string>();
    // Namespaces in the pods table's order, pods in theirs: the order a full pass goes (random draws in admit).
    for (const namespace of store.namespacesOf(['pods'])) {
      if (!dirty(namespace)) continue;
      for (const pod of store.valuesIn<Pod>('pods', namespace)) {
        if (!pod.spec.nodeName) continue;
        const uid = pod.metadata.uid!;
        live.add(uid);
        let rec = this.pods.get(uid);
        if (!rec) {
          rec = this.admit(pod, now);
        }
        if (pod.metadata.deletionTimestamp && rec.terminatingAt === undefined)
          this.beginTermination(pod, rec, now);
        else if (rec.volumes && rec.volumeSyncAt === undefined && rec.terminatingAt === undefined)
          noticeVolumeChanges(this, pod, rec, now);
      }
    }
    for (const [uid, rec] of this.pods) if (!live.has(uid) && dirty(rec.namespace)) this.pods.delete(uid);
  }

  /** A pod newly bound to this node: ContainerCreating now, the sandbox (and its IP) a moment later. */
  private admit(pod: Pod, now: number): PodRecord {
    const rec = newPodRecord({
      uid: pod.metadata.uid!,
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      node: pod.spec.nodeName!,
      seenAt: now,
      containers: [
        ...(pod.spec.initContainers ?? []).map((c) => {
          const init = newContainer(c, true);
          if (init.sidecar) init.probes = newProbeWorkers(c, now);
          return init;
        }),
        ...pod.spec.containers.map((c) => {
          const app = newContainer(c, false);
          app.probes = newProbeWorkers(c, now);
          return app;
        }),
      ],
    });
    this.pods.set(rec.uid, rec);
    if (pod.metadata.deletionTimestamp) {
      this.beginTermination(pod, rec, now);
      return rec;
    }
    this.schedule(rec, now + this.ctx.random.int(400, 900));
    this.writeStatus(pod, rec);
    return rec;
  }

  schedule(rec: PodRecord, at: number): void {
    this.ctx.timers.schedule(at, KUBELET_TIMER, rec.uid);
  }

  // ---------------------------------------------------------------- timer-driven steps

  /** Advances every step of this pod that is due. */
  onTimer(uid: string): void {
    const rec = this.pods.get(uid);
    if (!rec) return;
    this.touched.add(rec.namespace);
    const pod = this.ctx.store.get<Pod>('pods', rec.namespace, rec.name);
    if (!pod || pod.metadata.uid !== uid) {
      this.pods.delete(uid);
      return;
    }
    const now = this.ctx.now();
    if (rec.terminatingAt !== undefined) {
      if (now >= rec.terminatingAt) this.finishTermination(rec);
      return;
    }
    if (rec.volumeSyncAt !== undefined && rec.volumeSyncAt <= now) rewriteVolumes(this, pod, rec, now);
    if (rec.sandboxAt === undefined) {
      // The pod's volumes are mounted before its sandbox starts (WaitForAttachAndMount).
      if (!mountVolumes(this, pod, rec, now)) return this.writeStatus(pod, rec);
      this.createSandbox(pod, rec, now);
    }
    for (const c of rec.containers) {
      if (c.nextAt !== undefined && c.nextAt <= now) {
        c.nextAt = undefined;
        step(this, pod, rec, c, now);
      }
    }
    this.prober.run(pod, rec, (c) => this.containerSpec(pod, c), now);
    // A sidecar that has just started (or passed its startup probe) lets the next container start.
    if (rec.containers.some((c) => c.sidecar)) this.beginNext(pod, rec, now);
    const next = rec.containers
      .flatMap((c) => [c.nextAt, nextProbeAt(c)])
      .filter((t): t is number => t !== undefined);
    if (next.length) this.schedule(rec, Math.min(...next));
    const latest = this.ctx.store.get<Pod>('pods', rec.namespace, rec.name);
    if (latest) this.writeStatus(latest, rec);
  }

  private createSandbox(pod: Pod, rec: PodRecord, now: number): void {
    rec.sandboxAt = now;
    rec.ip = pod.spec.hostNetwork ? this.nodeIp(rec.node) : this.allocateIp(rec.node);
    this.beginNext(pod, rec, now);
  }

  beginNext(pod: Pod, rec: PodRecord, now: number): void {
    for (const init of rec.containers) {
      if (!init.init || (init.stage === 'terminated' && init.lastExit?.exitCode === 0)) continue;
      if (init.stage === 'waiting') beginImage(this, pod, rec, init, now);
      // The next one waits for this one to succeed, or for a sidecar to have started.
      if (!init.sidecar || !containerStarted(init)) return;
    }
    for (const c of rec.containers) if (!c.init && c.stage === 'waiting') beginImage(this, pod, rec, c, now);
  }

  containerSpec(pod: Pod, c: ContainerRecord): Container {
    const list = c.init ? (pod.spec.initContainers ?? []) : pod.spec.containers;
    return list.find((x) => x.name === c.name) ?? { name: c.name, image: c.image };
  }

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container: string): void {
    const init = pod.spec.initContainers?.some((c) => c.name === container);
    this.ctx.events.record(
      pod,
      type,
      reason,
      message,
      SOURCE(pod.spec.nodeName!),
      `spec.${init ? 'initContainers' : 'containers'}{${container}}`,
    );
  }

  // ---------------------------------------------------------------- termination

  private beginTermination(pod: Pod, rec: PodRecord, now: number): void {
    const deadline = Date.parse(pod.metadata.deletionTimestamp!);
    const running = rec.containers.filter((c) => c.stage === 'running');
    for (const c of running) this.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name);
    // The bootcamp app runs under `/bin/sh -c`, which ignores SIGTERM: it is killed when the grace period ends.
    // Apps that handle SIGTERM (nginx) stop at once; pods with nothing running are torn down in a moment.
    const at = running.some((c) => ignoresSigterm(c.image)) ? deadline : now + this.ctx.random.int(300, 900);
    rec.terminatingAt = Math.min(Math.max(at, now), Math.max(deadline, now));
    this.ctx.timers.cancel(KUBELET_TIMER, rec.uid);
    this.schedule(rec, rec.terminatingAt);
  }

  private finishTermination(rec: PodRecord): void {
    this.pods.delete(rec.uid);
    this.ctx.server.removeObject('pods', rec.namespace, rec.name);
  }

  // ---------------------------------------------------------------- addresses

  private nodeIp(nodeName: string): string {
    const node = this.ctx.store.get<Node>('nodes', undefined, nodeName);
    return node?.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  /** host-local IPAM: the next free host after the last one handed out, wrapping within .2–.254. */
  private allocateIp(nodeName: string): string {
    const node = this.ctx.store.get<Node>('nodes', undefined, nodeName);
    const subnet = node ? podSubnetOf(node) : '10.244.0';
    const used = new Set<string>();
    for (const r of this.pods.values()) if (r.node === nodeName && r.ip) used.add(r.ip);
    const rec = this.nodeRecord(nodeName);
    for (let i = 0; i < 253; i++) {
      const host = ((rec.lastIp - 1 + i) % 253) + 2;
      const ip = `${subnet}.${host}`;
      if (!used.has(ip)) {
        rec.lastIp = host;
        return ip;
      }
    }
    return '';
  }

  // ---------------------------------------------------------------- status

  private writeStatus(pod: Pod, rec: PodRecord): void {
    const status = renderStatus(pod, rec, this.nodeIp(rec.node), this.ctx.now());
    if (deepEqual(status, pod.status)) return;
    this.ctx.server.updateObject(withStatus(pod, status), { fromClient: false });
  }
}
