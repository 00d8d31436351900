/**
 * The horizontal-pod-autoscaler controller, every 15 s per HPA (the controller's --horizontal-pod-autoscaler-sync-
 * period). It enforces minReplicas/maxReplicas on the target's scale. There is no metrics server yet (issue 14
 * part 3), so a CPU target cannot be evaluated: the HPA reports ScalingActive=False/FailedGetResourceMetric and the
 * Warning events a minikube without the metrics-server addon shows, and TARGETS stays `<unknown>`.
 */
import { rfc3339 } from '../api/time';
import type { KubeObject } from '../api/types';
import type { HorizontalPodAutoscaler, HpaCondition } from '../api/workload-types';
import { deepEqual, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { isTerminating } from './owners';

const COMPONENT = { component: 'horizontal-pod-autoscaler' };
export const HPA_SYNC_MS = 15_000;
const NO_METRICS =
  'unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

const TARGETS: Record<string, { resource: 'deployments' | 'statefulsets' | 'replicasets'; plural: string }> =
  {
    Deployment: { resource: 'deployments', plural: 'deployments' },
    StatefulSet: { resource: 'statefulsets', plural: 'statefulsets' },
    ReplicaSet: { resource: 'replicasets', plural: 'replicasets' },
  };

type Scalable = KubeObject & { spec: { replicas?: number } };

export class HpaController implements Controller {
  readonly watches = ['horizontalpodautoscalers'] as const;
  /** Next sync time by HPA uid (not part of a snapshot: a restored cluster syncs each HPA once at once). */
  private readonly due = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    if (this.ctx.store.count('horizontalpodautoscalers') === 0 && this.due.size === 0) return;
    const now = this.ctx.now();
    const seen = new Set<string>();
    for (const hpa of this.ctx.store.values<HorizontalPodAutoscaler>('horizontalpodautoscalers')) {
      const uid = hpa.metadata.uid ?? '';
      seen.add(uid);
      if (isTerminating(hpa)) continue;
      const at = this.due.get(uid);
      if (at !== undefined && at > now) continue;
      this.due.set(uid, now + HPA_SYNC_MS);
      this.ctx.timers.replace(now + HPA_SYNC_MS, WAKE, `hpa/${uid}`);
      this.sync(hpa, now);
    }
    for (const uid of [...this.due.keys()])
      if (!seen.has(uid)) {
        this.due.delete(uid);
        this.ctx.timers.cancel(WAKE, `hpa/${uid}`);
      }
  }

  private sync(hpa: HorizontalPodAutoscaler, now: number): void {
    const ns = hpa.metadata.namespace ?? 'default';
    const ref = hpa.spec.scaleTargetRef;
    const kind = TARGETS[ref?.kind ?? ''];
    const target = kind ? this.ctx.store.get<Scalable>(kind.resource, ns, ref.name) : undefined;
    const conditions: HpaCondition[] = [];
    const condition = (
      type: HpaCondition['type'],
      status: 'True' | 'False',
      reason: string,
      message: string,
    ) => {
      const old = hpa.status?.conditions?.find((c) => c.type === type);
      conditions.push({
        type,
        status,
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : rfc3339(now),
        reason,
        message,
      });
    };
    if (!target) {
      const what = `${kind?.plural ?? (ref?.kind ?? '').toLowerCase()}/scale${kind ? '.apps' : ''} "${ref?.name ?? ''}" not found`;
      this.ctx.events.record(hpa, 'Warning', 'FailedGetScale', what, COMPONENT);
      condition(
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${what}`,
      );
      this.write(hpa, { currentReplicas: 0, desiredReplicas: 0, conditions });
      return;
    }
    const current = target.spec.replicas ?? 1;
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    condition(
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    );
    let desired = current;
    let reason: string | undefined;
    if (current === 0 && min !== 0) {
      condition(
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
      desired = 0;
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const cpu = hpa.spec.metrics?.find((m) => m.type === 'Resource')?.resource?.name ?? 'cpu';
      const failure = `failed to get ${cpu} utilization: ${NO_METRICS.replace(/resource cpu/, `resource ${cpu}`)}`;
      this.ctx.events.record(hpa, 'Warning', 'FailedGetResourceMetric', failure, COMPONENT);
      const count = hpa.spec.metrics?.length ?? 1;
      this.ctx.events.record(
        hpa,
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (${count} invalid out of ${count}), first error is: failed to get ${cpu} resource metric value: ${failure}`,
        COMPONENT,
      );
      condition(
        'ScalingActive',
        'False',
        'FailedGetResourceMetric',
        `the HPA was unable to compute the replica count: ${failure}`,
      );
      this.write(hpa, { currentReplicas: current, desiredReplicas: 0, conditions });
      return;
    }
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (reason !== undefined) {
      condition(
        'ScalingActive',
        'True',
        'ValidMetricFound',
        'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      );
      condition(
        'ScalingLimited',
        'True',
        desired === min ? 'TooFewReplicas' : 'TooManyReplicas',
        desired === min
          ? 'the desired replica count is less than the minimum replica count'
          : 'the desired replica count is more than the maximum replica count',
      );
      this.ctx.server.updateObject(
        { ...target, spec: { ...target.spec, replicas: desired } },
        { fromClient: false },
      );
      this.ctx.events.record(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${desired}; reason: ${reason}`,
        COMPONENT,
      );
      lastScaleTime = rfc3339(now);
    }
    this.write(hpa, {
      ...(lastScaleTime ? { lastScaleTime } : {}),
      currentReplicas: current,
      desiredReplicas: desired,
      conditions,
    });
  }

  private write(hpa: HorizontalPodAutoscaler, status: NonNullable<HorizontalPodAutoscaler['status']>): void {
    const latest = this.ctx.store.get<HorizontalPodAutoscaler>(
      'horizontalpodautoscalers',
      hpa.metadata.namespace,
      hpa.metadata.name,
    );
    if (!latest) return;
    const full = { observedGeneration: latest.metadata.generation ?? 1, ...status };
    if (full.currentReplicas === 0) delete full.currentReplicas;
    if (deepEqual(latest.status ?? {}, full)) return;
    this.ctx.server.updateObject(withStatus(latest, full), { fromClient: false });
  }
}
