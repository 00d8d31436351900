/** `kubectl describe` of DaemonSets, StatefulSets and HorizontalPodAutoscalers (describe.go, v1.30). */
import type { KubeEvent, Pod } from '../../api/types';
import type { DaemonSet, HorizontalPodAutoscaler, StatefulSet } from '../../api/workload-types';
import { formatLabelSelector, rfc1123z } from '../printers/format';
import { DescribeWriter, podsStatus, writeAnnotations, writeEvents, writeLabels } from './common';
import { writePodTemplate } from './pod';

export function describeDaemonSet(
  ds: DaemonSet,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  const s = ds.status;
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(ds.spec.selector)}\n`);
  const nodeSelector = ds.spec.template?.spec?.nodeSelector ?? {};
  const keys = Object.keys(nodeSelector).sort();
  w.write(
    0,
    `Node-Selector:\t${keys.length ? keys.map((k) => `${k}=${nodeSelector[k]}`).join(',') : '<none>'}\n`,
  );
  writeLabels(w, 'Labels', ds.metadata.labels);
  writeAnnotations(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${s?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  writePodTemplate(w, ds.spec.template);
  if (events) writeEvents(w, events, now);
  return w;
}

export function describeStatefulSet(
  sts: StatefulSet,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${sts.metadata.name}\n`);
  w.write(0, `Namespace:\t${sts.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(sts.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(sts.spec.selector)}\n`);
  writeLabels(w, 'Labels', sts.metadata.labels);
  writeAnnotations(w, 'Annotations', sts.metadata.annotations);
  w.write(0, `Replicas:\t${sts.spec.replicas ?? 1} desired | ${sts.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${sts.spec.updateStrategy?.type ?? 'RollingUpdate'}\n`);
  const partition = sts.spec.updateStrategy?.rollingUpdate?.partition;
  if (partition !== undefined) w.write(1, `Partition:\t${partition}\n`);
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  writePodTemplate(w, sts.spec.template);
  const claims = sts.spec.volumeClaimTemplates ?? [];
  if (claims.length === 0) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const claim of claims) {
      const spec = (
        claim as {
          spec?: {
            storageClassName?: string;
            accessModes?: string[];
            resources?: { requests?: { storage?: string } };
          };
        }
      ).spec;
      w.write(1, `Name:\t${claim.metadata?.name ?? ''}\n`);
      w.write(1, `StorageClass:\t${spec?.storageClassName ?? ''}\n`);
      writeLabels(w, '  Labels', claim.metadata?.labels);
      writeAnnotations(w, '  Annotations', claim.metadata?.annotations);
      w.write(1, `Capacity:\t${spec?.resources?.requests?.storage ?? '<default>'}\n`);
      // Go's %s of the modes slice: `[ReadWriteOnce]`.
      w.write(1, `Access Modes:\t[${(spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  if (events) writeEvents(w, events, now);
  return w;
}

interface ResourceCurrent {
  resource?: { current?: { averageUtilization?: number; averageValue?: string } };
}

export function describeHpa(
  hpa: HorizontalPodAutoscaler,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  const ref = hpa.spec.scaleTargetRef;
  w.write(0, `Name:\t${hpa.metadata.name}\n`);
  w.write(0, `Namespace:\t${hpa.metadata.namespace}\n`);
  writeLabels(w, 'Labels', hpa.metadata.labels);
  writeAnnotations(w, 'Annotations', hpa.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${ref.kind}/${ref.name}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  const current = (hpa.status?.currentMetrics ?? []) as ResourceCurrent[];
  (hpa.spec.metrics ?? []).forEach((m, i) => {
    if (m.type !== 'Resource' || !m.resource) return;
    const now = current[i]?.resource?.current;
    const target = m.resource.target;
    if (target.type === 'AverageValue' || target.averageValue !== undefined) {
      w.write(
        1,
        `resource ${m.resource.name} on pods:\t${now?.averageValue ?? '<unknown>'} / ${target.averageValue}\n`,
      );
      return;
    }
    const shown =
      now?.averageUtilization !== undefined
        ? `${now.averageUtilization}% (${now.averageValue ?? '0'})`
        : '<unknown>';
    const goal = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
    w.write(1, `resource ${m.resource.name} on pods  (as a percentage of request):\t${shown} / ${goal}\n`);
  });
  w.write(0, `Min replicas:\t${hpa.spec.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${hpa.spec.maxReplicas}\n`);
  w.write(
    0,
    `${ref.kind} pods:\t${hpa.status?.currentReplicas ?? 0} current / ${hpa.status?.desiredReplicas ?? 0} desired\n`,
  );
  const conditions = hpa.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason}\t${c.message}\n`);
  }
  if (events) writeEvents(w, events, now);
  return w;
}
