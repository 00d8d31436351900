/** The status, scale and log subresources, over the cluster's API server. */
import type { ResourceInfo } from '../api/resources';
import { badRequest } from '../api/status-error';
import type { KubeObject, LabelSelector, Pod } from '../api/types';
import type { Cluster } from '../cluster';
import { formatLabelSelector } from '../server/selectors';
import { HttpStatus } from './status';

interface Scalable extends KubeObject {
  spec: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

/** autoscaling/v1 Scale of a deployment, replica set or stateful set. */
export function readScale(
  cluster: Cluster,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Record<string, unknown> {
  const obj = cluster.api.get<Scalable>(info.resource, namespace, name);
  const { uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace: obj.metadata.namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec.replicas ?? 1 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: obj.spec.selector ? formatLabelSelector(obj.spec.selector) : '',
    },
  };
}

export function writeScale(
  cluster: Cluster,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  scale: unknown,
  dryRun: boolean,
): Record<string, unknown> {
  const s = scale as {
    kind?: string;
    metadata?: { resourceVersion?: string };
    spec?: { replicas?: unknown };
  };
  if (typeof s !== 'object' || s === null || (s.kind !== undefined && s.kind !== 'Scale'))
    throw new HttpStatus(400, 'BadRequest', `${String(s?.kind)} is not a Scale`);
  const replicas = s.spec?.replicas;
  const obj = cluster.api.get<Scalable>(info.resource, namespace, name);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new HttpStatus(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ],
      },
    );
  obj.spec.replicas = replicas;
  if (s.metadata?.resourceVersion) obj.metadata.resourceVersion = s.metadata.resourceVersion;
  cluster.api.update(obj, { dryRun });
  const after = readScale(cluster, info, namespace, name);
  if (dryRun) (after.spec as { replicas: number }).replicas = replicas;
  return after;
}

/** PUT/PATCH …/status: only the status of `next` is taken; the rest of the object stays as stored. */
export function writeStatus(
  cluster: Cluster,
  current: KubeObject,
  next: KubeObject,
  dryRun: boolean,
): KubeObject {
  const obj = { ...current, status: (next as { status?: unknown }).status } as KubeObject;
  if (next.metadata?.resourceVersion)
    obj.metadata = { ...obj.metadata, resourceVersion: next.metadata.resourceVersion };
  const written = cluster.server.updateObject(obj, { fromClient: false, dryRun });
  cluster.sync();
  return JSON.parse(JSON.stringify(written)) as KubeObject;
}

/** GET …/pods/<name>/log (no follow): the container's log as text, with the kubelet's query options. */
export function podLog(
  cluster: Cluster,
  namespace: string,
  name: string,
  opts: {
    container?: string;
    tailLines?: number;
    previous?: boolean;
    timestamps?: boolean;
    sinceSeconds?: number;
    sinceTime?: string;
  },
): string {
  const pod = cluster.api.get<Pod>('pods', namespace, name);
  const names = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  let container = opts.container;
  if (!container) {
    if (names.length !== 1)
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
      );
    container = names[0];
  } else if (!names.includes(container) && !inits.includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  const now = cluster.clock.now();
  const sinceTime = opts.sinceTime ? Date.parse(opts.sinceTime) : NaN;
  const since =
    opts.sinceSeconds !== undefined && Number.isFinite(opts.sinceSeconds)
      ? now - opts.sinceSeconds * 1000
      : Number.isNaN(sinceTime)
        ? undefined
        : sinceTime;
  const tail = opts.tailLines;
  return cluster.runtime.logs(namespace, name, container, {
    previous: opts.previous,
    timestamps: opts.timestamps,
    since,
    tail: tail !== undefined && Number.isFinite(tail) && tail >= 0 ? tail : undefined,
  });
}
