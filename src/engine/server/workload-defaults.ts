/**
 * API defaulting of the issue-14 workload kinds (SetDefaults_DaemonSet, SetDefaults_StatefulSet, autoscaling/v2
 * SetDefaults_HorizontalPodAutoscaler: behavior is only filled in when the client gave one, and here never).
 */
import type { KubeObject } from '../api/types';
import type { DaemonSet, HorizontalPodAutoscaler, StatefulSet } from '../api/workload-types';
import { defaultTemplate } from './defaults';

function defaultDaemonSet(ds: DaemonSet): void {
  ds.spec ??= {} as DaemonSet['spec'];
  ds.spec.updateStrategy ??= { type: 'RollingUpdate' };
  ds.spec.updateStrategy.type ||= 'RollingUpdate';
  if (ds.spec.updateStrategy.type === 'RollingUpdate') {
    ds.spec.updateStrategy.rollingUpdate ??= {};
    ds.spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    ds.spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  ds.spec.revisionHistoryLimit ??= 10;
  if (ds.spec.template) defaultTemplate(ds.spec.template);
}

function defaultStatefulSet(sts: StatefulSet): void {
  sts.spec ??= {} as StatefulSet['spec'];
  sts.spec.replicas ??= 1;
  sts.spec.podManagementPolicy ??= 'OrderedReady';
  sts.spec.updateStrategy ??= { type: 'RollingUpdate' };
  sts.spec.updateStrategy.type ||= 'RollingUpdate';
  if (sts.spec.updateStrategy.type === 'RollingUpdate') {
    sts.spec.updateStrategy.rollingUpdate ??= {};
    sts.spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  sts.spec.revisionHistoryLimit ??= 10;
  sts.spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  if (sts.spec.template) defaultTemplate(sts.spec.template);
}

function defaultHpa(hpa: HorizontalPodAutoscaler): void {
  hpa.spec ??= {} as HorizontalPodAutoscaler['spec'];
  hpa.spec.minReplicas ??= 1;
  // autoscaling/v2 with no metrics means 80% average CPU utilization.
  if (!hpa.spec.metrics || hpa.spec.metrics.length === 0)
    hpa.spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
}

export function defaultWorkloadObject(obj: KubeObject): void {
  if (obj.kind === 'DaemonSet') defaultDaemonSet(obj as DaemonSet);
  else if (obj.kind === 'StatefulSet') defaultStatefulSet(obj as StatefulSet);
  else if (obj.kind === 'HorizontalPodAutoscaler') defaultHpa(obj as HorizontalPodAutoscaler);
}
