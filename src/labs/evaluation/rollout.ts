/**
 * Whether a Deployment's rollout is finished, by the rules `kubectl rollout status` uses (the controller has
 * observed the latest generation; updated == replicas == available == desired; no progress-deadline failure)
 * plus one stricter rule: no pod of an older ReplicaSet is left, not even one still terminating.
 */
import { EvaluationContext, KubeObjectJson } from './context';
import { annotationsOf, numberOf, labelsOf, record, records, workloadSelector } from './kube';
import { localized } from './phrases';
import { Localized } from '../format/types';

export interface RolloutProgress {
  complete: boolean;
  state: Localized;
}

const REVISION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH = 'pod-template-hash';

export async function rolloutProgress(
  deployment: KubeObjectJson,
  context: EvaluationContext,
): Promise<RolloutProgress> {
  const name = deployment.metadata.name;
  const status = record(deployment.status);
  const generation = numberOf(deployment.metadata.generation) ?? 0;
  const observed = numberOf(status.observedGeneration) ?? 0;
  if (observed < generation) {
    return incomplete('the controller has not observed the latest change yet', '控制器尚未处理最新的修改');
  }
  const progressing = records(status.conditions).find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return incomplete(
      `deployment "${name}" exceeded its progress deadline`,
      `Deployment "${name}" 已超过进度期限`,
    );
  }
  const desired = numberOf(record(deployment.spec).replicas) ?? 1;
  const updated = numberOf(status.updatedReplicas) ?? 0;
  const replicas = numberOf(status.replicas) ?? 0;
  const available = numberOf(status.availableReplicas) ?? 0;
  if (updated < desired) {
    return incomplete(
      `${updated} out of ${desired} new replicas have been updated`,
      `${desired} 个新副本中已更新 ${updated} 个`,
    );
  }
  if (replicas > updated) {
    return incomplete(
      `${replicas - updated} old replicas are pending termination`,
      `还有 ${replicas - updated} 个旧副本等待终止`,
    );
  }
  if (available < updated) {
    return incomplete(
      `${available} of ${updated} updated replicas are available`,
      `${updated} 个已更新副本中有 ${available} 个可用`,
    );
  }
  const leftovers = await oldPods(deployment, context);
  if (leftovers === undefined)
    return incomplete('no ReplicaSet belongs to it yet', '还没有属于它的 ReplicaSet');
  if (leftovers.length > 0) {
    const names = leftovers.join(', ');
    return incomplete(
      `pods of an older ReplicaSet are still present: ${names}`,
      `旧 ReplicaSet 的 Pod 仍然存在：${names}`,
    );
  }
  return {
    complete: true,
    state: localized(
      `rollout complete: ${available}/${desired} replicas available`,
      `滚动更新已完成：${desired} 个副本中 ${available} 个可用`,
    ),
  };
}

function incomplete(en: string, zh: string): RolloutProgress {
  return { complete: false, state: localized(`rollout not finished: ${en}`, `滚动更新未完成：${zh}`) };
}

/** Names of the deployment's pods whose template hash is not the current ReplicaSet's; undefined: no RS. */
async function oldPods(
  deployment: KubeObjectJson,
  context: EvaluationContext,
): Promise<string[] | undefined> {
  const namespace = deployment.metadata.namespace;
  const uid = deployment.metadata.uid;
  const ownedByDeployment = (owner: Record<string, unknown>) =>
    owner.kind === 'Deployment' &&
    owner.name === deployment.metadata.name &&
    (uid === undefined || owner.uid === uid);
  const replicaSets = (await context.readObjects({ kind: 'ReplicaSet', namespace })).filter((replicaSet) =>
    records(replicaSet.metadata.ownerReferences).some(ownedByDeployment),
  );
  if (replicaSets.length === 0) return undefined;
  const current = replicaSets.reduce((best, candidate) =>
    revision(candidate) > revision(best) ? candidate : best,
  );
  const currentHash = labelsOf(current)[TEMPLATE_HASH];
  const labelSelector = workloadSelector(deployment);
  if (labelSelector === undefined) return [];
  const pods = await context.readObjects({ kind: 'Pod', namespace, labelSelector });
  return pods.filter((pod) => labelsOf(pod)[TEMPLATE_HASH] !== currentHash).map((pod) => pod.metadata.name);
}

function revision(replicaSet: KubeObjectJson): number {
  return Number(annotationsOf(replicaSet)[REVISION] ?? 0) || 0;
}
