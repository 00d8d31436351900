import { TaintEvictionController } from './controllers/taints';
import { NodeLifecycleController } from './controllers/node-lifecycle';
import type { ResourceName } from './api/resources';
import type { Deployment, KubeObject, Node, Pod, ReplicaSet } from './api/types';
import { ManualClock, RealClock, type Clock } from './clock/clock';
import { TimerQueue } from './clock/timer-queue';
import { WAKE, type Controller, type ControllerContext } from './controllers/context';
import { DaemonSetController } from './controllers/daemonset';
import { DeploymentController } from './controllers/deployment';
import { CronJobController } from './controllers/cronjob';
import { JobController } from './controllers/job';
import { EndpointsController } from './controllers/endpoints';
import { ApiServiceAvailabilityController } from './controllers/apiservice-availability';
import { EndpointSliceController } from './controllers/endpointslice';
import { IngressNginxController } from './controllers/ingress-nginx';
import { EventRecorder } from './controllers/events';
import { GarbageCollector } from './controllers/garbage-collector';
import { NamespaceController } from './controllers/namespace';
import {
  Kubelet,
  KUBELET_TIMER,
  renderStatus,
  type KubeletState,
  type PodRecord,
} from './controllers/kubelet';
import { DisruptionController, ResourceQuotaController } from './controllers/policy-status';
import { HpaController } from './controllers/hpa';
import { ReplicaSetController } from './controllers/replicaset';
import { StatefulSetController } from './controllers/statefulset';
import { VolumeBindingController } from './controllers/volume-binding';
import { HostPathProvisioner } from './controllers/hostpath-provisioner';
import { rebootPods } from './controllers/kubelet-reboot';
import { Scheduler } from './controllers/scheduler';
import { SimContainerRuntime } from './runtime/container-runtime';
import { forgetHostPath } from './runtime/host-paths';
import { SimNetwork } from './runtime/network';
import type { ClusterNetwork, ContainerRuntime } from './runtime/types';
import type { ApiServer } from './server/api-server';
import { KubeApiServer } from './server/kube-api-server';
import {
  buildBootImage,
  instantiateBootImage,
  RecordingRandom,
  type BootImage,
  type BootState,
} from './snapshot/boot-image';
import { Kubeconfig, minikubeKubeconfig, type KubeconfigData } from './store/kubeconfig';
import { minikubeObjects, nodeInternalIp } from './store/minikube';
import { bootConfigMaps, CONTROLLER_SERVICE_ACCOUNTS } from './store/minikube-config';
import { loadKubeProxyDaemonSet } from './store/minikube-daemonset';
import { bootPolicyObjects } from './store/minikube-policy';
import { bootApiObjects } from './store/minikube-apis';
import { standardStorageClass } from './store/minikube-storage';
import { Random, type RandomState } from './store/random';
import { objectKey, ObjectStore, resourceSlot } from './store/store';

export interface ClusterOptions {
  /** Seeds every random choice (uids, name suffixes, IPs, NodePorts): same seed + same commands = same output. */
  seed?: number;
  /** Default 1: "minikube"; extra nodes are "minikube-m02", "minikube-m03", ... */
  nodeCount?: number;
  /** Default RealClock. */
  clock?: Clock;
  /** minikube profile name; the first node is named after it (default "minikube"). */
  profile?: string;
  /**
   * How the booted state is laid down. 'fork' (default): the boot template's shared lists keep their template
   * table, copied on the cluster's first write to that resource (ObjectStore.loadTemplate). 'boot': every boot
   * object goes into tables of the cluster's own (the path before forking; bench:engine's baseline). Both give
   * the same objects, resourceVersions and output.
   */
  creation?: 'fork' | 'boot';
}

/** How long before creation the simulated `minikube start` finished (system pods show this AGE). */
const BOOT_AGE_MS = 90_000;
const MAX_NODES = 10;
const EVENT_SWEEP_MS = 60_000;
/** A reconcile pass that keeps changing the store this many times in a row is a controller bug, not progress. */
const MAX_RECONCILE_ROUNDS = 200;

/**
 * Snapshot format 2. Objects of the fresh minikube that were never changed (resourceVersion <= bootRv) are not
 * written out: restore rebuilds them from the boot image with the cluster's seed and boot time, keeping only the
 * ones listed in `bootKept`. Everything else (objects, kubelet, timers, PRNG, allocator inputs) is stored as is.
 */
export interface ClusterSnapshot {
  v: 2;
  profile: string;
  nodeCount: number;
  seed: number;
  now: number;
  rv: number;
  random: RandomState;
  timers: ReturnType<TimerQueue['toJSON']>;
  kubelet: KubeletState;
  scheduler: [string, string][];
  network: [string, number][];
  lastEventSweep: number;
  bootAt: number;
  bootRv: number;
  bootImage: string;
  bootKept: Partial<Record<ResourceName, string[]>>;
  objects: Partial<Record<ResourceName, KubeObject[]>>;
  /** The machine's ~/.kube/config, when kubectl config changed it from what minikube wrote. */
  kubeconfig?: KubeconfigData;
  /** When `minikube stop` stopped the machine; absent while it runs. */
  stoppedAt?: number;
}

/**
 * A per-student Kubernetes simulation: an API server over an in-memory store, the controllers as reconcile
 * loops, a kubelet per node, a service network and container runtime. It is a discrete-event simulation:
 * nothing runs on its own; `sync()` processes every timer due up to `clock.now()` (at the timer's own time)
 * and reconciles to a fixpoint. The API server syncs before every client call and reconciles after every write,
 * so clients always see an up-to-date cluster. An idle cluster costs no CPU.
 */
export class Cluster {
  readonly clock: Clock;
  readonly api: ApiServer;
  readonly network: ClusterNetwork;
  readonly runtime: ContainerRuntime;
  readonly nodeIp: string;
  readonly profile: string;
  readonly nodeCount: number;
  readonly seed: number;

  /** @internal */ readonly server: KubeApiServer;
  /** @internal */ readonly store: ObjectStore;
  /** @internal */ readonly kubelet: Kubelet;
  /** @internal */ readonly timers: TimerQueue;
  /** @internal */ readonly simNetwork: SimNetwork;
  private readonly random: Random;
  private readonly events: EventRecorder;
  private readonly scheduler: Scheduler;
  private readonly namespaces: NamespaceController;
  private readonly controllers: Controller[];
  /** Revision at which each controller (same index in `controllers`) last ran; -1: never. */
  private lastRun: number[] = [];
  /** Each controller's watched resources, as store resource slots. */
  private readonly watchSlots: number[][];
  private simNow: number | undefined;
  private syncing = false;
  private settledRevision = -1;
  /** The store revision as the last sync() ended: at the next, a different one means something else changed it. */
  private revisionAfterSync = -1;
  private lastExternalRevision = -1;
  private lastEventSweep: number;
  private bootAt = 0;
  private bootRv = 0;
  private kubeconfigFile: Kubeconfig | undefined;
  /** When `minikube stop` stopped the machine (undefined while it runs): nothing in it runs until it starts. */
  private stoppedAt: number | undefined;

  /** @internal Use createCluster / restoreCluster. */
  constructor(init: {
    clock: Clock;
    seed: number;
    nodeCount: number;
    profile: string;
    random: Random;
    timers: TimerQueue;
    store: ObjectStore;
  }) {
    this.clock = init.clock;
    this.seed = init.seed;
    this.nodeCount = init.nodeCount;
    this.profile = init.profile;
    this.random = init.random;
    this.timers = init.timers;
    this.store = init.store;
    this.nodeIp = nodeInternalIp(0);
    this.lastEventSweep = this.clock.now();
    this.server = new KubeApiServer(this.store, {
      now: () => this.now(),
      random: this.random,
      beforeAccess: () => this.sync(),
      afterWrite: () => this.sync(),
    });
    this.api = this.server;
    this.events = new EventRecorder(this.server, () => this.now());
    const ctx: ControllerContext = {
      server: this.server,
      store: this.store,
      events: this.events,
      timers: this.timers,
      random: this.random,
      now: () => this.now(),
    };
    this.kubelet = new Kubelet(ctx);
    this.scheduler = new Scheduler(ctx);
    this.namespaces = new NamespaceController(ctx);
    this.controllers = [
      new DeploymentController(ctx),
      new ReplicaSetController(ctx),
      new DaemonSetController(ctx),
      new StatefulSetController(ctx),
      new HpaController(ctx),
      new CronJobController(ctx),
      new JobController(ctx),
      new GarbageCollector(ctx),
      this.namespaces,
      // Before the scheduler: a cordon's taint lands in the same pass, so pending pods are judged once.
      new NodeLifecycleController(ctx),
      this.scheduler,
      this.kubelet,
      new EndpointsController(ctx),
      new ApiServiceAvailabilityController(ctx),
      new EndpointSliceController(ctx),
      new IngressNginxController(ctx),
      new ResourceQuotaController(ctx),
      new DisruptionController(ctx),
      new TaintEvictionController(ctx),
      new VolumeBindingController(ctx, (name) => forgetHostPath(this.kubelet.state().nodes, name)),
      new HostPathProvisioner(ctx),
    ];
    this.lastRun = this.controllers.map(() => -1);
    this.watchSlots = this.controllers.map((c) => c.watches.map(resourceSlot));
    this.simNetwork = new SimNetwork(
      this.store,
      this.kubelet,
      () => this.sync(),
      () => this.now(),
    );
    this.network = this.simNetwork;
    const runtime = new SimContainerRuntime(
      this.store,
      this.kubelet,
      this.simNetwork,
      () => this.now(),
      () => this.sync(),
    );
    this.runtime = runtime;
    this.kubelet.prober.targets = {
      connect: (host, port, path) => this.simNetwork.probe(host, port, path),
      exec: (pod, rec, c, argv) => runtime.execIn(pod, rec, c, argv),
    };
  }

  /**
   * The lab machine's kubeconfig (`kubectl config ...`; its current context's namespace is kubectl's default).
   * A change to it counts as a change of the cluster's state (`revision` moves), so it is saved with it.
   */
  get kubeconfig(): Kubeconfig {
    this.kubeconfigFile ??= new Kubeconfig(
      minikubeKubeconfig(this.profile, `https://${this.nodeIp}:8443`, this.bootAt),
      () => this.store.setRevision(this.store.revision + 1),
    );
    return this.kubeconfigFile;
  }

  /** Simulation time: the due time of the timer being processed, otherwise the clock. */
  now(): number {
    return this.simNow ?? this.clock.now();
  }

  sync(): void {
    if (this.syncing || this.stoppedAt !== undefined) return;
    this.syncing = true;
    // Changed since the last sync by something other than this cluster's timers and controllers.
    let external = this.store.revision !== this.revisionAfterSync;
    try {
      const target = this.clock.now();
      for (let timer = this.timers.popDue(target); timer; timer = this.timers.popDue(target)) {
        this.simNow = timer.at;
        if (timer.kind === KUBELET_TIMER) this.kubelet.onTimer(timer.key);
        // A wake-up is for time-based conditions (progress deadlines): every controller looks again.
        this.reconcile(timer.kind === WAKE);
      }
      this.simNow = undefined;
      this.reconcile(false);
      if (target - this.lastEventSweep >= EVENT_SWEEP_MS) {
        this.lastEventSweep = target;
        this.events.expire();
      }
    } catch (error) {
      // Half done: no longer what time alone makes of the last external change.
      external = true;
      throw error;
    } finally {
      this.simNow = undefined;
      this.syncing = false;
      this.revisionAfterSync = this.store.revision;
      if (external) this.lastExternalRevision = this.store.revision;
    }
    this.server.deliverWatchEvents();
  }

  /**
   * The revision as the last sync() ended that found the state changed by something other than the cluster's own
   * timers and controllers: a command, an API request, a kubeconfig edit. Until it moves, the state only follows
   * from time passing, and a snapshot taken since then restores (restoreCluster, which replays the due timers at
   * their times) to what this cluster has become.
   */
  get externalRevision(): number {
    // Changed since the last sync, which has not looked yet (or will not: a stopped machine does not sync).
    if (this.store.revision !== this.revisionAfterSync) return this.store.revision;
    return this.lastExternalRevision;
  }

  /** Runs the controllers whose watched resources changed (all of them when forced) until nothing changes. */
  private reconcile(force: boolean): void {
    if (!force && this.store.revision === this.settledRevision) return;
    let all = force;
    for (let round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
      const before = this.store.revision;
      const controllers = this.controllers;
      for (let i = 0; i < controllers.length; i++) {
        const last = this.lastRun[i];
        if (!all && last >= 0 && !this.store.changedSinceSlots(this.watchSlots[i], last)) continue;
        this.lastRun[i] = this.store.revision;
        controllers[i].reconcile(all);
      }
      all = false;
      if (this.store.revision === before) break;
    }
    this.settledRevision = this.store.revision;
  }

  nextDueAt(): number | undefined {
    return this.stoppedAt === undefined ? this.timers.nextAt() : undefined;
  }

  /** Whether `minikube stop` stopped the machine (its API server refuses connections until `minikube start`). */
  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** `minikube stop`: the node containers shut down; the objects stay as they are, nothing runs until started. */
  stopMachine(): void {
    if (this.stoppedAt !== undefined) return;
    this.sync();
    this.stoppedAt = this.clock.now();
    this.store.setRevision(this.store.revision + 1);
  }

  /**
   * `minikube start` of a stopped machine: what fell due while it was down happens now, each node's kubelet starts
   * again (its events) and restarts every pod that was running (controllers/kubelet-reboot.ts).
   */
  startMachine(): void {
    const downAt = this.stoppedAt;
    if (downAt === undefined) return;
    const upAt = this.clock.now();
    this.stoppedAt = undefined;
    const overdue = [];
    for (let t = this.timers.popDue(upAt); t; t = this.timers.popDue(upAt)) overdue.push(t);
    for (const t of overdue) this.timers.schedule(upAt, t.kind, t.key);
    this.at(upAt, () => {
      for (const node of this.store.values<Node>('nodes')) {
        const name = node.metadata.name;
        this.recordKubeletStart(name);
        // kube-controller-manager starts again too: its node controller registers every node anew.
        this.recordNodeEvent(
          name,
          'RegisteredNode',
          `Node ${name} event: Registered Node ${name} in Controller`,
          'node-controller',
        );
      }
      rebootPods(this.kubelet, this.kubelet.state().pods, downAt, upAt, (rec) =>
        this.store.get<Pod>('pods', rec.namespace, rec.name),
      );
    });
    this.store.setRevision(this.store.revision + 1);
    this.reconcile(true);
    this.sync();
  }

  /** A counter that changes whenever any object changes (the store's resourceVersion), e.g. to skip saving a
   *  snapshot when nothing happened. Reading it does not sync; call sync() first to include due timers. */
  get revision(): number {
    return this.store.revision;
  }

  /** Runs `fn` as if the simulation time were `at` (bootstrap only). */
  private at<T>(at: number, fn: () => T): T {
    const saved = this.simNow;
    this.simNow = at;
    try {
      return fn();
    } finally {
      this.simNow = saved;
    }
  }

  /** @internal Lays down the objects of a freshly started minikube, booted BOOT_AGE_MS before now. */
  bootstrap(creation: ClusterOptions['creation'] = 'fork'): void {
    const bootAt = Math.floor((this.clock.now() - BOOT_AGE_MS) / 1000) * 1000;
    const image = bootImageFor(this.profile, this.nodeCount);
    this.bootAt = bootAt;
    this.bootRv = image.rv;
    this.loadBootState(instantiateBootImage(image, this.random, bootAt), undefined, creation === 'boot');
    // The image was recorded after a forced pass of every controller, at their fixpoint: none has anything to do
    // until something changes (cluster.spec.ts checks it), so the first write runs only the controllers it concerns.
    this.lastRun = this.controllers.map(() => image.rv);
    for (const controller of this.controllers) controller.assumeSettled?.();
  }

  private loadBootState(state: BootState, keep?: ClusterSnapshot['bootKept'], ownTables = false): void {
    for (const [resource, list] of Object.entries(state.objects) as [ResourceName, KubeObject[]][]) {
      if (!keep) {
        this.store.loadTemplate(resource, list, ownTables);
        continue;
      }
      // A restore keeps the boot objects the snapshot lists; a list kept whole is still the template's.
      const kept = new Set(keep[resource] ?? []);
      const isKept = (obj: KubeObject) => kept.has(objectKey(obj.metadata.namespace, obj.metadata.name));
      if (list.every(isKept)) this.store.loadTemplate(resource, list, ownTables);
      else for (const obj of list) if (isKept(obj)) this.store.load(resource, obj);
    }
    this.store.setRevision(state.rv);
    this.server.reindexAllocations();
    this.kubelet.load(state.kubelet);
    this.settledRevision = state.rv;
  }

  /** @internal The real bootstrap through the API server and controllers (recorded once into a boot image). */
  bootstrapFromScratch(bootAt: number): BootState {
    {
      const m = minikubeObjects(this.profile, this.nodeCount, bootAt, this.random);
      const server = this.server;
      const nodes = this.at(bootAt, () => {
        // The API server's and kubeadm's own objects: fixed uids, so the cluster's random draws stay as they were.
        const policyUids = new Random(0x72626163);
        for (const obj of bootPolicyObjects()) server.createObject(obj, policyUids.uid());
        for (const ns of m.namespaces) server.createObject(ns);
        // The service account controller and root CA publisher fill them as soon as they start.
        const configUids = new Random(0x636f6e66);
        for (const ns of m.namespaces) this.namespaces.populate(ns.metadata.name, () => configUids.uid());
        return m.nodes.map((n) => server.createObject(n));
      });
      // The API server's, kubeadm's and the addons' configuration, and kube-controller-manager's own accounts.
      const systemUids = new Random(0x6b636d73);
      for (const { after, configMap } of bootConfigMaps(bootAt))
        this.at(bootAt + after * 1000, () => server.createObject(configMap, systemUids.uid()));
      this.at(bootAt + 6_000, () => {
        for (const name of CONTROLLER_SERVICE_ACCOUNTS)
          server.createObject(
            { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } },
            systemUids.uid(),
          );
      });
      this.at(bootAt + 2_000, () => {
        for (const svc of m.services.filter((s) => s.metadata.name === 'kubernetes'))
          server.createObject(svc);
        for (const ep of m.endpoints) server.createObject(ep);
        for (const slice of m.endpointSlices) server.createObject(slice, new Random(0x65707363).uid());
      });
      this.at(bootAt + 8_000, () => {
        const accountUids = new Random(0x73616363);
        for (const sa of m.serviceAccounts) server.createObject(sa, accountUids.uid());
        // The default-storageclass addon, applied with the storage-provisioner (its own uid sequence).
        server.createObject(standardStorageClass(), new Random(0x73746f72).uid());
      });
      const rs = this.at(bootAt + 18_000, () => {
        for (const svc of m.services.filter((s) => s.metadata.name !== 'kubernetes'))
          server.createObject(svc);
        const deployment = server.createObject(m.corednsDeployment) as Deployment;
        return server.createObject(m.corednsReplicaSet(deployment.metadata.uid!)) as ReplicaSet;
      });
      for (const boot of m.pods(nodes as Node[], rs)) {
        const createdAt = bootAt + boot.createdAfter * 1000;
        const startedAt = createdAt + boot.startedAfter * 1000;
        this.at(createdAt, () => {
          const pod = server.createObject(boot.pod) as Pod;
          const record: PodRecord = {
            uid: pod.metadata.uid!,
            namespace: pod.metadata.namespace!,
            name: pod.metadata.name,
            node: pod.spec.nodeName!,
            seenAt: createdAt,
            sandboxAt: createdAt + 500,
            ip:
              boot.ip ??
              nodes.find((n) => n.metadata.name === pod.spec.nodeName)!.status!.addresses[0].address,
            containers: pod.spec.containers.map((c) => ({
              name: c.name,
              image: c.image,
              stage: 'running',
              pullFailures: 0,
              restarts: boot.restarts ? 1 : 0,
              containerId: this.random.hex(64),
              startedAt: boot.restarts ? createdAt + boot.restarts.exitedAfter * 1000 + 1000 : startedAt,
              ...(boot.restarts
                ? {
                    lastExit: {
                      exitCode: boot.restarts.exitCode,
                      reason: 'Error',
                      startedAt,
                      finishedAt: createdAt + boot.restarts.exitedAfter * 1000,
                      containerId: this.random.hex(64),
                    },
                  }
                : {}),
              served: [],
            })),
          };
          if (boot.ip) this.kubelet.nodeRecord(record.node).lastIp = Number(boot.ip.split('.')[3]);
          this.kubelet.adoptRunning(pod, record);
          const running = structuredClone(pod);
          const scheduled = {
            type: 'PodScheduled' as const,
            status: 'True' as const,
            lastProbeTime: null,
            lastTransitionTime: pod.metadata.creationTimestamp!,
          };
          running.status = { phase: 'Pending', conditions: [scheduled] };
          const hostIp = nodes.find((n) => n.metadata.name === pod.spec.nodeName)!.status!.addresses[0]
            .address;
          running.status = renderStatus(running, record, hostIp, startedAt);
          server.updateObject(running, { fromClient: false });
        });
      }
      loadKubeProxyDaemonSet(this.server, m.kubeProxyDaemonSet(), nodes.length, bootAt + 18_000);
      this.at(bootAt + 24_000, () => this.reconcile(true));
      this.recordNodeBootEvents(nodes as Node[], bootAt);
      // The API machinery's objects (APIServices, flow control, CSINodes, leader leases), stamped with the boot
      // time but written last, with their own uid sequence, so every other object keeps its resourceVersion.
      this.at(bootAt, () => {
        const apiUids = new Random(0x61706973);
        for (const obj of bootApiObjects(nodes as Node[], bootAt, apiUids))
          server.createObject(obj, apiUids.uid());
      });
    }
    const objects: BootState['objects'] = {};
    for (const resource of this.store.resources()) objects[resource] = this.store.values(resource);
    if (this.timers.size > 0) throw new Error('bootstrap: a fresh cluster must have no pending timers');
    return { rv: this.store.revision, objects, kubelet: this.kubelet.state() };
  }

  /** What `kubectl describe node` shows of a node's start: kubelet, node-controller and kube-proxy events. Like the
   *  kubelet, they refer to the node with its name as uid. */
  private recordNodeBootEvents(nodes: Node[], bootAt: number): void {
    for (const node of nodes) {
      const name = node.metadata.name;
      const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
      this.at(bootAt - 4_000, () => this.recordKubeletStart(name));
      this.at(bootAt + 13_000, () =>
        this.events.record(
          ref,
          'Normal',
          'RegisteredNode',
          `Node ${name} event: Registered Node ${name} in Controller`,
          {
            component: 'node-controller',
          },
        ),
      );
      this.at(bootAt + 21_000, () =>
        this.events.record(ref, 'Normal', 'Starting', '', { component: 'kube-proxy' }),
      );
    }
  }

  /** @internal An event about a node from a control-plane component (the node named as its own uid, as kubelets do). */
  recordNodeEvent(name: string, reason: string, message: string, component: string): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
    this.events.record(ref, 'Normal', reason, message, { component });
  }

  /** @internal What a node's kubelet reports when it starts (its node's events). */
  recordKubeletStart(name: string): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
    const kubelet = { component: 'kubelet', host: name };
    this.events.record(ref, 'Normal', 'Starting', 'Starting kubelet.', kubelet);
    for (const condition of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'])
      this.events.record(ref, 'Normal', condition, `Node ${name} status is now: ${condition}`, kubelet);
    this.events.record(
      ref,
      'Normal',
      'NodeAllocatableEnforced',
      'Updated Node Allocatable limit across pods',
      kubelet,
    );
  }

  snapshot(): string {
    this.sync();
    const objects: ClusterSnapshot['objects'] = {};
    const bootKept: ClusterSnapshot['bootKept'] = {};
    for (const resource of this.store.resources()) {
      const changed: KubeObject[] = [];
      const kept: string[] = [];
      for (const obj of this.store.values(resource)) {
        if (Number(obj.metadata.resourceVersion) <= this.bootRv)
          kept.push(objectKey(obj.metadata.namespace, obj.metadata.name));
        else changed.push(obj);
      }
      if (changed.length) objects[resource] = changed;
      if (kept.length) bootKept[resource] = kept;
    }
    const snap: ClusterSnapshot = {
      v: 2,
      profile: this.profile,
      nodeCount: this.nodeCount,
      seed: this.seed,
      now: this.clock.now(),
      rv: this.store.revision,
      random: this.random.state(),
      timers: this.timers.toJSON(),
      kubelet: this.kubelet.state(),
      scheduler: this.scheduler.state(),
      network: this.simNetwork.state(),
      lastEventSweep: this.lastEventSweep,
      bootAt: this.bootAt,
      bootRv: this.bootRv,
      bootImage: bootImageFor(this.profile, this.nodeCount).fingerprint,
      bootKept,
      objects,
    };
    if (this.kubeconfigFile?.changed) snap.kubeconfig = this.kubeconfigFile.content as KubeconfigData;
    if (this.stoppedAt !== undefined) snap.stoppedAt = this.stoppedAt;
    return JSON.stringify(snap);
  }

  /** @internal */
  loadSnapshot(snap: ClusterSnapshot): void {
    const image = bootImageFor(snap.profile, snap.nodeCount);
    if (image.fingerprint !== snap.bootImage || image.rv !== snap.bootRv)
      throw new Error(
        'restoreCluster: the snapshot was taken by an engine with a different minikube boot image',
      );
    this.bootAt = snap.bootAt;
    this.bootRv = snap.bootRv;
    this.loadBootState(instantiateBootImage(image, new Random(snap.seed), snap.bootAt), snap.bootKept);
    for (const [resource, list] of Object.entries(snap.objects) as [ResourceName, KubeObject[]][]) {
      for (const obj of list) this.store.load(resource, obj);
    }
    this.store.setRevision(snap.rv);
    this.server.reindexAllocations();
    this.kubelet.load(snap.kubelet);
    this.scheduler.load(snap.scheduler);
    this.simNetwork.load(snap.network);
    this.lastEventSweep = snap.lastEventSweep;
    this.settledRevision = snap.rv;
    if (snap.kubeconfig) this.kubeconfig.load(snap.kubeconfig);
    if (typeof snap.stoppedAt === 'number') this.stoppedAt = snap.stoppedAt;
    // The restored state is the snapshot's: what the timers do from here is time passing, not a change.
    this.revisionAfterSync = this.store.revision;
    this.lastExternalRevision = this.store.revision;
  }
}

const bootImages = new Map<string, BootImage>();

function bootImageFor(profile: string, nodeCount: number): BootImage {
  const key = `${profile}/${nodeCount}`;
  let image = bootImages.get(key);
  if (!image) {
    image = recordBootImage(profile, nodeCount);
    bootImages.set(key, image);
  }
  return image;
}
const IMAGE_BOOT_AT = Date.UTC(2024, 0, 1, 0, 0, 0);

/** Bootstraps one cluster of this shape for real, recording its random draws, and keeps it as a template. */
function recordBootImage(profile: string, nodeCount: number): BootImage {
  const random = new RecordingRandom(0x6b756265);
  const cluster = new Cluster({
    clock: new ManualClock(IMAGE_BOOT_AT + BOOT_AGE_MS),
    seed: 0,
    nodeCount,
    profile,
    random,
    timers: new TimerQueue(),
    store: new ObjectStore(380),
  });
  const state = cluster.bootstrapFromScratch(IMAGE_BOOT_AT);
  return buildBootImage(JSON.parse(JSON.stringify(state)) as BootState, IMAGE_BOOT_AT, random.draws);
}

export function createCluster(options: ClusterOptions = {}): Cluster {
  const nodeCount = options.nodeCount ?? 1;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > MAX_NODES)
    throw new Error(`createCluster: nodeCount must be an integer from 1 to ${MAX_NODES}, got ${nodeCount}`);
  const profile = options.profile ?? 'minikube';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(profile) || profile.length > 40)
    throw new Error(`createCluster: profile must be a lowercase DNS label, got ${JSON.stringify(profile)}`);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw new Error(`createCluster: seed must be a number, got ${seed}`);
  const creation = options.creation ?? 'fork';
  if (creation !== 'fork' && creation !== 'boot')
    throw new Error(`createCluster: creation must be 'fork' or 'boot', got ${JSON.stringify(creation)}`);
  const cluster = new Cluster({
    clock: options.clock ?? new RealClock(),
    seed,
    nodeCount,
    profile,
    random: new Random(seed),
    timers: new TimerQueue(),
    store: new ObjectStore(380),
  });
  cluster.bootstrap(creation);
  return cluster;
}

export function restoreCluster(snapshot: string, options: { clock?: Clock } = {}): Cluster {
  let snap: ClusterSnapshot;
  try {
    snap = JSON.parse(snapshot) as ClusterSnapshot;
  } catch (error) {
    throw new Error(`restoreCluster: snapshot is not valid JSON (${(error as Error).message})`);
  }
  if (!snap || snap.v !== 2 || typeof snap.objects !== 'object')
    throw new Error('restoreCluster: not a cluster snapshot (version 2)');
  const cluster = new Cluster({
    clock: options.clock ?? new RealClock(),
    seed: snap.seed,
    nodeCount: snap.nodeCount,
    profile: snap.profile,
    random: new Random(snap.random),
    timers: TimerQueue.fromJSON(snap.timers),
    store: new ObjectStore(snap.rv),
  });
  cluster.loadSnapshot(snap);
  return cluster;
}

export { WAKE };
