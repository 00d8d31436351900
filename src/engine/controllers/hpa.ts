/**
 * The horizontal-pod-autoscaler controller of v1.30, every 15 s per HPA (--horizontal-pod-autoscaler-sync-period).
 * It reads the target's scale, enforces minReplicas/maxReplicas, and for Resource metrics with a Utilization target
 * asks the Metrics API (the metrics-server add-on) for the pods' usage and computes the replica count
 * (hpa-replicas.ts). Without behavior (the default) the legacy normalisation applies: the highest recommendation of
 * the last 5 minutes (scale-down stabilisation) and at most max(2 × current, 4) replicas per step. Without the
 * add-on the Metrics API is missing: ScalingActive=False/FailedGetResourceMetric and TARGETS `<unknown>`.
 */
import { formatQuantity } from '../api/quantity';
import { rfc3339 } from '../api/time';
import type { KubeObject, LabelSelector, Pod } from '../api/types';
import type { HorizontalPodAutoscaler, HpaCondition, MetricSpec } from '../api/workload-types';
import { metricsServerFor } from '../metrics/metrics-server';
import { matchesLabelSelector } from '../server/selectors';
import { deepEqual, withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { ReplicaCalculationError, resourceReplicas, type PodUsage } from './hpa-replicas';
import { isTerminating } from './owners';

const COMPONENT = { component: 'horizontal-pod-autoscaler' };
export const HPA_SYNC_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
const DOWNSCALE_STABILISATION_MS = 5 * 60_000;
const NO_METRICS_API =
  'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
const NO_METRICS_RETURNED = 'no metrics returned from resource metrics API';

const TARGETS: Record<string, { resource: 'deployments' | 'statefulsets' | 'replicasets'; plural: string }> =
  {
    Deployment: { resource: 'deployments', plural: 'deployments' },
    StatefulSet: { resource: 'statefulsets', plural: 'statefulsets' },
    ReplicaSet: { resource: 'replicasets', plural: 'replicasets' },
  };

type Scalable = KubeObject & {
  spec: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
};

type Status = NonNullable<HorizontalPodAutoscaler['status']>;

/** The conditions of one sync, set like the controller's setCondition (a type keeps its place when set again). */
class Conditions {
  readonly list: HpaCondition[] = [];
  constructor(
    private readonly old: HorizontalPodAutoscaler,
    private readonly now: number,
  ) {}
  set(type: HpaCondition['type'], status: 'True' | 'False', reason: string, message: string): void {
    const before = this.old.status?.conditions?.find((c) => c.type === type);
    const condition: HpaCondition = {
      type,
      status,
      lastTransitionTime: before && before.status === status ? before.lastTransitionTime : rfc3339(this.now),
      reason,
      message,
    };
    const at = this.list.findIndex((c) => c.type === type);
    if (at >= 0) this.list[at] = condition;
    else this.list.push(condition);
  }
}

export class HpaController implements Controller {
  readonly watches = ['horizontalpodautoscalers'] as const;
  /** Next sync time by HPA uid (not part of a snapshot: a restored cluster syncs each HPA once at once). */
  private readonly due = new Map<string, number>();
  /** Recent recommendations by HPA uid, for the scale-down stabilisation window (kept in memory, as the controller). */
  private readonly recommendations = new Map<string, { at: number; replicas: number }[]>();

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
        this.recommendations.delete(uid);
        this.ctx.timers.cancel(WAKE, `hpa/${uid}`);
      }
  }

  private sync(hpa: HorizontalPodAutoscaler, now: number): void {
    const ns = hpa.metadata.namespace ?? 'default';
    const ref = hpa.spec.scaleTargetRef;
    const kind = TARGETS[ref?.kind ?? ''];
    const target = kind ? this.ctx.store.get<Scalable>(kind.resource, ns, ref.name) : undefined;
    const conditions = new Conditions(hpa, now);
    if (!target) {
      const what = `${kind?.plural ?? (ref?.kind ?? '').toLowerCase()}/scale${kind ? '.apps' : ''} "${ref?.name ?? ''}" not found`;
      this.ctx.events.record(hpa, 'Warning', 'FailedGetScale', what, COMPONENT);
      conditions.set(
        'AbleToScale',
        'False',
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${what}`,
      );
      this.write(hpa, { currentReplicas: 0, desiredReplicas: 0, conditions: conditions.list });
      return;
    }
    const specReplicas = target.spec.replicas ?? 1;
    const current = target.status?.replicas ?? 0;
    const min = hpa.spec.minReplicas ?? 1;
    const max = hpa.spec.maxReplicas;
    conditions.set(
      'AbleToScale',
      'True',
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    );
    let desired: number;
    let reason: string | undefined;
    let currentMetrics: unknown[] | undefined;
    if (specReplicas === 0 && min !== 0) {
      conditions.set(
        'ScalingActive',
        'False',
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
      desired = 0;
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
      this.limited(conditions, desired, min);
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
      this.limited(conditions, desired, min);
    } else {
      const computed = this.fromMetrics(hpa, target, current, now, conditions);
      if (!computed) return;
      currentMetrics = computed.currentMetrics;
      desired = computed.replicas;
      if (desired > current) reason = `${computed.metricName} above target`;
      if (desired < current) reason = 'All metrics below target';
      desired = this.normalize(hpa, current, desired, min, now, conditions);
    }
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (desired !== current && !(specReplicas === 0 && min !== 0)) {
      this.ctx.server.updateObject(
        { ...target, spec: { ...target.spec, replicas: desired } },
        { fromClient: false },
      );
      conditions.set(
        'AbleToScale',
        'True',
        'SucceededRescale',
        `the HPA controller was able to update the target scale to ${desired}`,
      );
      this.ctx.events.record(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${desired}; reason: ${reason ?? ''}`,
        COMPONENT,
      );
      lastScaleTime = rfc3339(now);
    }
    this.write(hpa, {
      ...(lastScaleTime ? { lastScaleTime } : {}),
      currentReplicas: current,
      desiredReplicas: desired,
      ...(currentMetrics ? { currentMetrics } : {}),
      conditions: conditions.list,
    });
  }

  /** The min/max branches: the count was forced into range. */
  private limited(conditions: Conditions, desired: number, min: number): void {
    conditions.set(
      'ScalingActive',
      'True',
      'ValidMetricFound',
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    );
    conditions.set(
      'ScalingLimited',
      'True',
      desired === min ? 'TooFewReplicas' : 'TooManyReplicas',
      desired === min
        ? 'the desired replica count is less than the minimum replica count'
        : 'the desired replica count is more than the maximum replica count',
    );
  }

  /**
   * The highest proposal over the metrics, with their statuses; undefined when none could be computed (the failure
   * is then recorded and written).
   */
  private fromMetrics(
    hpa: HorizontalPodAutoscaler,
    target: Scalable,
    current: number,
    now: number,
    conditions: Conditions,
  ): { replicas: number; metricName: string; currentMetrics: unknown[] } | undefined {
    const specs: MetricSpec[] = hpa.spec.metrics?.length
      ? hpa.spec.metrics
      : [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ];
    const statuses: unknown[] = [];
    const errors: string[] = [];
    let best: { replicas: number; metricName: string } | undefined;
    for (const spec of specs) {
      const resource = spec.resource?.name ?? 'cpu';
      const result = this.resourceMetric(hpa, target, spec, current, now);
      if ('error' in result) {
        this.ctx.events.record(hpa, 'Warning', 'FailedGetResourceMetric', result.error, COMPONENT);
        conditions.set(
          'ScalingActive',
          'False',
          'FailedGetResourceMetric',
          `the HPA was unable to compute the replica count: ${result.error}`,
        );
        errors.push(`failed to get ${resource} resource metric value: ${result.error}`);
        statuses.push({ type: '' });
        continue;
      }
      statuses.push(result.status);
      if (!best || result.replicas > best.replicas)
        best = { replicas: result.replicas, metricName: result.metricName };
    }
    if (!best) {
      this.ctx.events.record(
        hpa,
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (${errors.length} invalid out of ${specs.length}), first error is: ${errors[0]}`,
        COMPONENT,
      );
      this.write(hpa, { currentReplicas: current, desiredReplicas: 0, conditions: conditions.list });
      return undefined;
    }
    conditions.set(
      'ScalingActive',
      'True',
      'ValidMetricFound',
      `the HPA was able to successfully calculate a replica count from ${best.metricName}`,
    );
    return { ...best, currentMetrics: statuses.filter((s) => (s as { type: string }).type !== '') };
  }

  private resourceMetric(
    hpa: HorizontalPodAutoscaler,
    target: Scalable,
    spec: MetricSpec,
    current: number,
    now: number,
  ): { replicas: number; metricName: string; status: unknown } | { error: string } {
    const resource = spec.resource?.name ?? 'cpu';
    const fail = (message: string) => ({ error: `failed to get ${resource} utilization: ${message}` });
    const utilizationTarget = spec.resource?.target.averageUtilization;
    if (spec.type !== 'Resource' || utilizationTarget === undefined)
      return fail(`the lab computes Resource metrics with a Utilization target only`);
    const state = metricsServerFor(this.ctx.store).state(now);
    if (!state.available) return fail(`unable to get metrics for resource ${resource}: ${NO_METRICS_API}`);
    const ns = hpa.metadata.namespace ?? 'default';
    const selector = target.spec.selector ?? {};
    const pods = this.ctx.store
      .values<Pod>('pods')
      .filter((p) => p.metadata.namespace === ns && matchesLabelSelector(selector, p.metadata.labels));
    const usage = new Map<string, PodUsage>();
    for (const sample of state.scrape?.pods ?? []) {
      const pod = sample.pod;
      if (pod.metadata.namespace !== ns || !matchesLabelSelector(selector, pod.metadata.labels)) continue;
      const total = sample.containers.reduce(
        (sum, c) => sum + (resource === 'cpu' ? Math.ceil(c.cpuNanocores / 1_000_000) : c.memoryBytes * 1000),
        0,
      );
      usage.set(pod.metadata.name, {
        milli: total,
        timestamp: state.scrape!.at,
        windowMs: state.scrape!.windowMs,
      });
    }
    if (usage.size === 0)
      return fail(`unable to get metrics for resource ${resource}: ${NO_METRICS_RETURNED}`);
    try {
      const result = resourceReplicas({
        currentReplicas: current,
        targetUtilization: utilizationTarget,
        resource,
        pods,
        usage,
        now,
      });
      return {
        replicas: result.replicas,
        metricName: `${resource} resource utilization (percentage of request)`,
        status: {
          type: 'Resource',
          resource: {
            name: resource,
            current: {
              averageValue: formatQuantity({ milli: BigInt(result.rawAverage), format: 'DecimalSI' }),
              averageUtilization: result.utilization,
            },
          },
        },
      };
    } catch (error) {
      if (error instanceof ReplicaCalculationError) return fail(error.message);
      throw error;
    }
  }

  /** normalizeDesiredReplicas: scale-down stabilisation, then the scale-up limit and min/max. */
  private normalize(
    hpa: HorizontalPodAutoscaler,
    current: number,
    proposed: number,
    min: number,
    now: number,
    conditions: Conditions,
  ): number {
    const uid = hpa.metadata.uid ?? '';
    const history = this.recommendations.get(uid) ?? [];
    let stabilized = proposed;
    let oldIndex = -1;
    history.forEach((rec, i) => {
      if (rec.at < now - DOWNSCALE_STABILISATION_MS) oldIndex = i;
      else if (rec.replicas > stabilized) stabilized = rec.replicas;
    });
    if (oldIndex >= 0) history[oldIndex] = { at: now, replicas: proposed };
    else history.push({ at: now, replicas: proposed });
    this.recommendations.set(uid, history);
    if (stabilized !== proposed)
      conditions.set(
        'AbleToScale',
        'True',
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      );
    else conditions.set('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    const scaleUpLimit = Math.max(2 * current, 4);
    const max = hpa.spec.maxReplicas;
    const [upper, upperReason, upperMessage] =
      max > scaleUpLimit
        ? [
            scaleUpLimit,
            'ScaleUpLimit',
            'the desired replica count is increasing faster than the maximum scale rate',
          ]
        : [max, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    let desired = stabilized;
    let reason = 'DesiredWithinRange';
    let message = 'the desired count is within the acceptable range';
    if (stabilized < min) {
      desired = min;
      reason = 'TooFewReplicas';
      message = 'the desired replica count is less than the minimum replica count';
    } else if (stabilized > upper) {
      desired = upper;
      reason = upperReason;
      message = upperMessage;
    }
    conditions.set('ScalingLimited', desired === stabilized ? 'False' : 'True', reason, message);
    return desired;
  }

  private write(hpa: HorizontalPodAutoscaler, status: Status): void {
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
