import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../../api/types';
import { formatLabelSelector, rfc1123z } from '../printers/format';
import {
  controllerOf,
  DescribeWriter,
  podsStatus,
  writeAnnotations,
  writeEvents,
  writeLabels,
} from './common';
import { writePodTemplate } from './pod';

/** `kubectl describe deployment` (§5.10). */
export function describeDeployment(
  d: Deployment,
  oldReplicaSets: ReplicaSet[],
  newReplicaSet: ReplicaSet | undefined,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  const status = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', d.metadata.labels);
  writeAnnotations(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec.selector).replace('<none>', '')}\n`);
  w.write(
    0,
    `Replicas:\t${d.spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const rolling = d.spec.strategy?.rollingUpdate;
  if (rolling)
    w.write(
      0,
      `RollingUpdateStrategy:\t${rolling.maxUnavailable ?? '25%'} max unavailable, ${rolling.maxSurge ?? '25%'} max surge\n`,
    );
  writePodTemplate(w, d.spec.template);
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason}\n`);
  }
  const list = (sets: ReplicaSet[]) =>
    sets
      .map(
        (rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 1} replicas created)`,
      )
      .join(', ') || '<none>';
  w.write(0, `OldReplicaSets:\t${list(oldReplicaSets)}\n`);
  w.write(0, `NewReplicaSet:\t${list(newReplicaSet ? [newReplicaSet] : [])}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}

/** `kubectl describe replicaset`. */
export function describeReplicaSet(
  rs: ReplicaSet,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  writeLabels(w, 'Labels', rs.metadata.labels);
  writeAnnotations(w, 'Annotations', rs.metadata.annotations);
  const controller = controllerOf(rs);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  writePodTemplate(w, rs.spec.template);
  if (events) writeEvents(w, events, now);
  return w;
}
