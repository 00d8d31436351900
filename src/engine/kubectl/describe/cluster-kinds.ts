/**
 * The describers kubectl v1.30 has for two kinds the engine stores without a controller of their own
 * (describe.go describeReplicationController, describeCSINode). Every other such kind goes through the unstructured
 * describer (unstructured.ts), as kubectl's GenericDescriberFor does.
 */
import type { CSINode, ReplicationController } from '../../api/cluster-types';
import type { KubeEvent, Pod } from '../../api/types';
import { formatLabels, rfc1123z } from '../printers/format';
import { DescribeWriter, podsStatus, writeAnnotations, writeEvents, writeLabels } from './common';
import { writePodTemplate } from './pod';

interface CsiNodeDriver {
  name: string;
  nodeID: string;
  allocatable?: { count?: number };
  topologyKeys?: string[] | null;
}

interface RcCondition {
  type: string;
  status: string;
  reason?: string;
}

/** `pods`: the ones the controller owns (getPodStatusForController counts them by phase). */
export function describeReplicationController(
  rc: ReplicationController,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${rc.metadata.name}\n`);
  w.write(0, `Namespace:\t${rc.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabels(rc.spec.selector)}\n`);
  writeLabels(w, 'Labels', rc.metadata.labels);
  writeAnnotations(w, 'Annotations', rc.metadata.annotations);
  w.write(0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus(pods)}\n`);
  if (rc.spec.template) writePodTemplate(w, rc.spec.template);
  const conditions = (rc.status as { conditions?: RcCondition[] } | undefined)?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  if (events) writeEvents(w, events, now);
  return w;
}

export function describeCsiNode(csi: CSINode, events: KubeEvent[] | undefined, now: number): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${csi.metadata.name}\n`);
  writeLabels(w, 'Labels', csi.metadata.labels);
  writeAnnotations(w, 'Annotations', csi.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(csi.metadata.creationTimestamp)}\n`);
  w.write(0, 'Spec:\n');
  const drivers = csi.spec?.drivers as CsiNodeDriver[] | null | undefined;
  if (drivers) {
    w.write(1, 'Drivers:\n');
    for (const driver of drivers) {
      w.write(2, `${driver.name}:\n`);
      w.write(3, `Node ID:\t${driver.nodeID}\n`);
      if (driver.allocatable?.count !== undefined) {
        w.write(3, 'Allocatables:\n');
        w.write(4, `Count:\t${driver.allocatable.count}\n`);
      }
      // Go's %s of a []string.
      if (driver.topologyKeys) w.write(3, `Topology Keys:\t[${driver.topologyKeys.join(' ')}]\n`);
    }
  }
  if (events) writeEvents(w, events, now);
  return w;
}
