/** API-server defaulting (reference §4.5), applied on create and update like the real registry strategies. */
import { canonicalQuantity } from '../api/quantity';
import { qosClass } from '../controllers/kubelet-status';
import { deepFreeze } from '../store/store';
import type { PodTemplate, ReplicationController } from '../api/cluster-types';
import type {
  Container,
  Deployment,
  Namespace,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Probe,
  ReplicaSet,
  Service,
  Volume,
} from '../api/types';

function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const lastSegment = image.split('/').pop() ?? image;
  const tag = lastSegment.includes('@') ? undefined : lastSegment.split(':')[1];
  return lastSegment.includes('@') || (tag !== undefined && tag !== 'latest') ? 'IfNotPresent' : 'Always';
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image ?? '');
  c.resources ??= {};
  numbersAsQuantities(c.resources);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  // SetDefaults_ResourceRequirements: a limit with no request is also the request.
  const limits = c.resources.limits;
  if (limits && Object.keys(limits).some((k) => c.resources!.requests?.[k] === undefined))
    c.resources = { ...c.resources, requests: { ...limits, ...(c.resources.requests ?? {}) } };
}

/**
 * A manifest may write a quantity as a YAML number (`cpu: 0.5`, `cpu: 1`); the API server decodes it into a
 * Quantity and stores its canonical text ("500m", "1"), so everything after this point sees strings.
 */
function numbersAsQuantities(resources: NonNullable<Container['resources']>): void {
  for (const map of [resources.limits, resources.requests] as (Record<string, unknown> | undefined)[])
    if (map)
      for (const key of Object.keys(map))
        if (typeof map[key] === 'number') map[key] = canonicalQuantity(String(map[key]));
}

/** SetDefaults_Probe, SetDefaults_HTTPGetAction and GRPCAction's `service` default (writes only what is unset). */
function defaultProbe(probe: Probe): void {
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  const http = probe.httpGet;
  if (http) {
    if (!http.path) http.path = '/';
    if (!http.scheme) http.scheme = 'HTTP';
  }
  if (probe.grpc) probe.grpc.service ??= '';
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.containers ??= [];
  for (const c of spec.containers) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

export function defaultTemplate(template: PodTemplateSpec): void {
  template.metadata ??= {};
  // Stored templates may be shared, frozen values: only write what is missing.
  if (template.metadata.creationTimestamp !== null) template.metadata.creationTimestamp = null;
  template.spec ??= { containers: [] };
  defaultPodSpec(template.spec);
}

export function defaultDeployment(d: Deployment): void {
  d.spec ??= {} as Deployment['spec'];
  d.spec.replicas ??= 1;
  // SetDefaults_Deployment: an empty strategy (`strategy: {}`, as kubectl create deployment sends) is RollingUpdate.
  d.spec.strategy ??= { type: 'RollingUpdate' };
  d.spec.strategy.type ||= 'RollingUpdate';
  if (d.spec.strategy.type === 'RollingUpdate') {
    d.spec.strategy.rollingUpdate ??= {};
    d.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    d.spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  d.spec.revisionHistoryLimit ??= 10;
  d.spec.progressDeadlineSeconds ??= 600;
  if (d.spec.template) defaultTemplate(d.spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= {} as ReplicaSet['spec'];
  rs.spec.replicas ??= 1;
  if (rs.spec.template) defaultTemplate(rs.spec.template);
}

/**
 * SetDefaults_ReplicationController: selector and labels from the template's labels when empty, one replica; the
 * template gets the pod defaults (a container port's protocol TCP, ...), as a PodTemplate's does.
 */
export function defaultReplicationController(rc: ReplicationController): void {
  rc.spec ??= {};
  const labels = rc.spec.template?.metadata?.labels;
  if (labels) {
    if (Object.keys(rc.spec.selector ?? {}).length === 0) rc.spec.selector = { ...labels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  if (rc.spec.template) defaultTemplate(rc.spec.template);
}

export function defaultPodTemplate(pt: PodTemplate): void {
  if (pt.template) defaultTemplate(pt.template);
}

/** Pod defaults plus what admission adds: the service account token volume and default tolerations. */
/** What admission adds to every pod: identical everywhere, so one frozen value is shared by all pods. */
const DEFAULT_TOLERATIONS = Object.freeze(
  ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) =>
    Object.freeze({ key, operator: 'Exists' as const, effect: 'NoExecute', tolerationSeconds: 300 }),
  ),
);
const TOKEN_PROJECTION = deepFreeze({
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    {
      downwardAPI: {
        items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
      },
    },
  ],
  defaultMode: 420,
});

/**
 * Pod defaults plus what admission adds: the service account token volume and default tolerations.
 * The pod's own spec object is written; the containers and lists it holds may be shared with its
 * ReplicaSet's template, so they are replaced, never changed in place.
 */
export function defaultPod(pod: Pod, randomSuffix: () => string, accountAutomounts = true): void {
  pod.spec ??= { containers: [] };
  defaultPodSpec(pod.spec);
  // PrepareForCreate: a new pod is Pending with its QoS class worked out.
  if (!pod.status || typeof pod.status !== 'object' || !pod.status.phase)
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  const spec = pod.spec;
  spec.serviceAccountName ??= 'default';
  if (spec.serviceAccount !== spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  if (!spec.tolerations || spec.tolerations.length === 0)
    spec.tolerations = DEFAULT_TOLERATIONS as PodSpec['tolerations'];
  else {
    const missing = DEFAULT_TOLERATIONS.filter(
      (d) => !spec.tolerations!.some((t) => t.key === d.key && t.effect === 'NoExecute'),
    );
    if (missing.length) spec.tolerations = [...spec.tolerations, ...missing];
  }
  // The ServiceAccount admission plugin: the pod's automountServiceAccountToken wins over its account's.
  const automount = spec.automountServiceAccountToken ?? accountAutomounts;
  if (automount && !spec.hostNetwork && !spec.volumes?.some((v) => v.name.startsWith('kube-api-access-'))) {
    const volume = `kube-api-access-${randomSuffix()}`;
    spec.volumes = [
      ...(spec.volumes ?? []),
      { name: volume, projected: TOKEN_PROJECTION as Volume['projected'] },
    ];
    const mount = Object.freeze({
      name: volume,
      readOnly: true,
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    });
    spec.containers = spec.containers.map((c) => ({
      ...c,
      volumeMounts: [...(c.volumeMounts ?? []), mount],
    }));
    if (spec.initContainers)
      spec.initContainers = spec.initContainers.map((c) => ({
        ...c,
        volumeMounts: [...(c.volumeMounts ?? []), mount],
      }));
  }
}

export function defaultService(svc: Service): void {
  svc.spec ??= {};
  const spec = svc.spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  if (spec.type !== 'ExternalName') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  svc.status ??= { loadBalancer: {} };
}

export function defaultNamespace(ns: Namespace): void {
  // The immutable name label; an invalid name is reported once, on metadata.name, not again as a label.
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns.metadata.name ?? '') && ns.metadata.name.length <= 63)
    ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  // The registry's PrepareForCreate: the `kubernetes` finalizer is always there (the namespace controller drops it).
  ns.spec = ns.spec && typeof ns.spec === 'object' ? ns.spec : {};
  if (!ns.spec.finalizers?.includes('kubernetes'))
    ns.spec = { ...ns.spec, finalizers: [...(ns.spec.finalizers ?? []), 'kubernetes'] };
  ns.status = { phase: 'Active' };
}
