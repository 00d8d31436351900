import type { ResourceInfo } from '../../api/resources';
import type { Lease } from '../../api/coordination-types';
import { NODE_LEASE_NAMESPACE } from '../../server/node-leases';
import { isStatusError, StatusError } from '../../api/status-error';
import type {
  ConfigMap,
  CronJob,
  Job,
  Deployment,
  Endpoints,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Secret,
  Service,
  ServiceAccount,
} from '../../api/types';
import type { LimitRange, ResourceQuota } from '../../api/policy-types';
import type { DaemonSet, HorizontalPodAutoscaler, StatefulSet } from '../../api/workload-types';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { DescribeWriter, eventsFor, writeAnnotations, writeEvents, writeLabels } from '../describe/common';
import {
  describeConfigMap,
  describeSecret,
  describeServiceAccount,
  writeNamespaceConditions,
} from '../describe/config';
import { describeLimitRange, writeLimitRanges } from '../describe/limit-range';
import { describePod } from '../describe/pod';
import { describeCronJob, describeJob } from '../describe/batch';
import { describePolicyObject, writeResourceQuotas } from '../describe/policy';
import { describeNode, describeService } from '../describe/service-node';
import { describeUnstructured } from '../describe/unstructured';
import { describeCsiNode, describeReplicationController } from '../describe/cluster-kinds';
import type { CSINode, ReplicationController } from '../../api/cluster-types';
import {
  describeEndpointSlice,
  describeIngress,
  describeIngressClass,
  describeNetworkPolicy,
  type BackendLookup,
} from '../describe/network';
import type { EndpointSlice, Ingress, IngressClass, NetworkPolicy } from '../../api/network-types';
import { describeDeployment, describeReplicaSet } from '../describe/workloads';
import { describeDaemonSet, describeHpa, describeStatefulSet } from '../describe/sets';
import {
  describePersistentVolume,
  describePersistentVolumeClaim,
  describeStorageClass,
} from '../describe/storage';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/storage-types';
import { alignTabs, DESCRIBE_OPTIONS } from '../printers/tabwriter';
import { parseResourceArgs } from '../resource-args';
import { deepEqual } from './shared';
import { ownedReplicaSets } from './rollout';

export const describeCommand: CommandDef = {
  path: ['describe'],
  short: 'Show details of a specific resource or group of resources',
  usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  flags: [
    flag.selector(),
    flag.allNamespaces(),
    flag.bool('show-events', undefined, true, 'If true, display events related to the described object.'),
  ],
  run(ctx, args) {
    if (args.positional.length === 0)
      throw new CommandError(
        'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
      );
    const api = ctx.cluster.api;
    const requests = parseResourceArgs(api, args.positional);
    const namespace = namespaceFlag(args);
    const allNamespaces = args.flags['all-namespaces'] as boolean;
    const selector = args.flags.selector as string;
    const showEvents = args.flags['show-events'] as boolean;
    let first = true;
    const print = (text: string) => {
      ctx.stdout(first ? text : `\n\n${text}`);
      first = false;
    };
    const errors: string[] = [];
    // A deprecated API answers with a Warning header; kubectl prints each message once.
    const warned = new Set<string>();
    for (const { info, names } of requests) {
      if (info.warning && !warned.has(info.warning)) {
        warned.add(info.warning);
        ctx.stderr(`Warning: ${info.warning}\n`);
      }
      const ns = info.namespaced ? namespace : undefined;
      if (names.length === 0) {
        const objects = api.list(info.resource, {
          namespace: info.namespaced && !allNamespaces ? namespace : undefined,
          labelSelector: selector || undefined,
        });
        if (objects.length === 0) {
          ctx.stderr(
            info.namespaced && !allNamespaces
              ? `No resources found in ${namespace} namespace.\n`
              : 'No resources found\n',
          );
          continue;
        }
        for (const obj of objects) print(describeObject(ctx, info, obj, showEvents));
        continue;
      }
      for (const name of names) {
        try {
          print(describeObject(ctx, info, api.get(info.resource, ns, name), showEvents));
        } catch (error) {
          if (!isStatusError(error, 'NotFound')) throw error;
          const matching = api
            .list(info.resource, { namespace: ns })
            .filter((o) => o.metadata.name.startsWith(name));
          if (matching.length === 0) {
            errors.push(`Error from server (NotFound): ${(error as StatusError).status.message}`);
            continue;
          }
          for (const obj of matching) ctx.stdout(describeObject(ctx, info, obj, showEvents) + '\n');
        }
      }
    }
    for (const error of errors) ctx.stderr(error + '\n');
    return errors.length > 0 ? 1 : 0;
  },
};

function render(w: DescribeWriter): string {
  return w.chunks.map((chunk) => alignTabs(chunk, DESCRIBE_OPTIONS)).join('');
}

function describeObject(
  ctx: KubectlContext,
  info: ResourceInfo,
  obj: KubeObject,
  showEvents: boolean,
): string {
  const { cluster } = ctx;
  const now = cluster.clock.now();
  const events = showEvents ? eventsFor(cluster, obj) : undefined;
  switch (info.resource) {
    case 'pods':
      return render(describePod(obj as Pod, events, now));
    case 'jobs':
      return render(describeJob(obj as Job, events, now));
    case 'cronjobs':
      return render(describeCronJob(obj as CronJob, events, now));
    case 'deployments': {
      const deployment = obj as Deployment;
      const sets = ownedReplicaSets(ctx, deployment);
      const strip = (t: ReplicaSet['spec']['template']) => {
        const copy = JSON.parse(JSON.stringify(t)) as ReplicaSet['spec']['template'];
        if (copy.metadata.labels) delete copy.metadata.labels['pod-template-hash'];
        return copy;
      };
      const newRs = sets
        .filter((rs) => deepEqual(strip(rs.spec.template), strip(deployment.spec.template)))
        .sort((a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
        )[0];
      // kubectl 1.30 lists every old replica set, scaled down ones included (real kubectl against engine serve).
      const old = sets.filter((rs) => rs !== newRs);
      return render(describeDeployment(deployment, old, newRs, events, now));
    }
    case 'replicasets': {
      const rs = obj as ReplicaSet;
      const pods = cluster.api
        .list<Pod>('pods', { namespace: rs.metadata.namespace })
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === rs.metadata.uid));
      return render(describeReplicaSet(rs, pods, events, now));
    }
    case 'daemonsets':
    case 'statefulsets': {
      const pods = cluster.api
        .list<Pod>('pods', { namespace: obj.metadata.namespace })
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid));
      return render(
        obj.kind === 'DaemonSet'
          ? describeDaemonSet(obj as DaemonSet, pods, events, now)
          : describeStatefulSet(obj as StatefulSet, pods, events, now),
      );
    }
    case 'horizontalpodautoscalers':
      return render(describeHpa(obj as HorizontalPodAutoscaler, events, now));
    case 'services': {
      let endpoints: Endpoints | undefined;
      try {
        endpoints = cluster.api.get<Endpoints>('endpoints', obj.metadata.namespace, obj.metadata.name);
      } catch (error) {
        if (!isStatusError(error, 'NotFound')) throw error;
      }
      return render(describeService(obj as Service, endpoints, events, now));
    }
    case 'nodes': {
      const pods = cluster.api.list<Pod>('pods', { fieldSelector: `spec.nodeName=${obj.metadata.name}` });
      const nodeEvents = showEvents
        ? cluster.api
            .list<import('../../api/types').KubeEvent>('events', {})
            .filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === obj.metadata.name)
        : undefined;
      let lease: Lease | { error: string };
      try {
        lease = cluster.api.get<Lease>('leases', NODE_LEASE_NAMESPACE, obj.metadata.name);
      } catch (error) {
        if (!isStatusError(error)) throw error;
        lease = { error: error.status.message };
      }
      return render(describeNode(obj as Node, pods, nodeEvents, now, lease));
    }
    case 'roles':
    case 'clusterroles':
    case 'rolebindings':
    case 'clusterrolebindings':
    case 'resourcequotas':
    case 'priorityclasses':
    case 'poddisruptionbudgets':
      return render(describePolicyObject(obj, events, now));
    case 'persistentvolumeclaims': {
      const pods = cluster.api.list<Pod>('pods', { namespace: obj.metadata.namespace });
      return render(describePersistentVolumeClaim(obj as PersistentVolumeClaim, pods, events, now));
    }
    case 'persistentvolumes':
      return render(describePersistentVolume(obj as PersistentVolume, events, now));
    case 'storageclasses':
      return render(describeStorageClass(obj as StorageClass, events, now));
    case 'endpointslices':
      return render(describeEndpointSlice(obj as EndpointSlice, events, now));
    case 'ingresses': {
      const read = <T extends KubeObject>(resource: 'endpoints' | 'services', ns: string, name: string) => {
        try {
          return cluster.api.get<T>(resource, ns, name);
        } catch (error) {
          if (!isStatusError(error)) throw error;
          return { error: error.status.message };
        }
      };
      const lookup: BackendLookup = {
        endpoints: (ns, name) => read<Endpoints>('endpoints', ns, name),
        service: (ns, name) => read<Service>('services', ns, name),
      };
      return render(describeIngress(obj as Ingress, lookup, events, now));
    }
    case 'ingressclasses':
      return render(describeIngressClass(obj as IngressClass, events, now));
    case 'networkpolicies':
      return render(describeNetworkPolicy(obj as NetworkPolicy));
    case 'limitranges':
      return render(describeLimitRange(obj as LimitRange));
    case 'serviceaccounts':
      return render(describeServiceAccount(obj as ServiceAccount, events, now));
    case 'configmaps':
      return render(describeConfigMap(obj as ConfigMap, events, now));
    case 'secrets':
      return render(describeSecret(obj as Secret));
    case 'events':
      throw new CommandError('describe events is not available in this lab terminal; use kubectl get events');
    case 'replicationcontrollers': {
      const rc = obj as ReplicationController;
      const pods = cluster.api
        .list<Pod>('pods', { namespace: rc.metadata.namespace })
        .filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === rc.metadata.uid));
      return render(describeReplicationController(rc, pods, events, now));
    }
    case 'csinodes':
      return render(describeCsiNode(obj as CSINode, events, now));
    case 'namespaces': {
      const limitRanges = cluster.api
        .list<LimitRange>('limitranges', { namespace: obj.metadata.name })
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      const quotas = cluster.api.list<ResourceQuota>('resourcequotas', { namespace: obj.metadata.name });
      return render(describeGeneric(obj, events, now, limitRanges, quotas));
    }
    case 'endpoints':
      return render(describeGeneric(obj, events, now));
    default:
      // describe.go GenericDescriberFor: every kind without a describer of its own (Leases, ControllerRevisions,
      // APIServices, FlowSchemas, RuntimeClasses, webhook configurations, ...) prints all its fields.
      return render(describeUnstructured(obj, events, now));
  }
}

/** Namespaces, endpoints: name, labels, annotations and events. */
function describeGeneric(
  obj: KubeObject,
  events: ReturnType<typeof eventsFor> | undefined,
  now: number,
  limitRanges?: LimitRange[],
  quotas?: ResourceQuota[],
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  if (obj.metadata.namespace) w.write(0, `Namespace:\t${obj.metadata.namespace}\n`);
  writeLabels(w, 'Labels', obj.metadata.labels);
  writeAnnotations(w, 'Annotations', obj.metadata.annotations);
  if (obj.kind === 'Namespace') {
    w.write(0, `Status:\t${(obj.status as { phase?: string } | undefined)?.phase ?? 'Active'}\n`);
    writeNamespaceConditions(w, obj as Namespace);
    w.write(0, '\n');
    writeResourceQuotas(w, quotas ?? []);
    w.write(0, '\n');
    writeLimitRanges(w, limitRanges ?? []);
    return w;
  }
  if (obj.kind === 'Endpoints') {
    const subsets = (obj as Endpoints).subsets ?? [];
    w.write(0, 'Subsets:\n');
    for (const s of subsets) {
      w.write(1, `Addresses:\t${(s.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
      w.write(
        1,
        `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`,
      );
      w.write(1, 'Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n');
      for (const p of s.ports ?? []) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol}\n`);
    }
    w.write(0, '\n');
  }
  if (events) writeEvents(w, events, now);
  return w;
}
