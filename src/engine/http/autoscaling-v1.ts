/**
 * autoscaling/v1 HorizontalPodAutoscalers over HTTP: the engine stores v2 (its only version), and the API server
 * also serves v1 — `kubectl autoscale` (1.30) posts to /apis/autoscaling/v1. Conversion as the API server's
 * (pkg/apis/autoscaling/v1 conversion): v1's `targetCPUUtilizationPercentage` is v2's CPU Resource metric with a
 * Utilization target, `currentCPUUtilizationPercentage` its current average utilization.
 */
import type { KubeObject } from '../api/types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: { type?: string; averageUtilization?: number } };
}

interface MetricStatus {
  type?: string;
  resource?: { name?: string; current?: { averageUtilization?: number } };
}

/** A v1 HorizontalPodAutoscaler (as sent by a client) as the v2 object the engine stores. */
export function hpaFromV1(body: unknown): unknown {
  if (!isObject(body) || body.apiVersion !== 'autoscaling/v1') return body;
  const spec = isObject(body.spec) ? body.spec : {};
  const { targetCPUUtilizationPercentage: target, ...rest } = spec;
  const v2spec: Json = { ...rest };
  if (typeof target === 'number')
    v2spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
      },
    ];
  // Status is the controller's; a client's (kubectl sends zeros) is not kept.
  const { status: _status, ...object } = body;
  return { ...object, apiVersion: 'autoscaling/v2', spec: v2spec };
}

/** A stored v2 HorizontalPodAutoscaler as a v1 client reads it. */
export function hpaToV1(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as Json & { metrics?: MetricSpec[] };
  const { metrics, behavior: _behavior, ...v1spec } = spec;
  const cpu = (metrics ?? []).find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization',
  );
  if (cpu?.resource?.target?.averageUtilization !== undefined)
    v1spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const status = (obj.status ?? {}) as Json & { currentMetrics?: MetricStatus[]; conditions?: unknown };
  const { currentMetrics, conditions: _conditions, ...v1status } = status;
  const current = (currentMetrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  if (current?.resource?.current?.averageUtilization !== undefined)
    v1status.currentCPUUtilizationPercentage = current.resource.current.averageUtilization;
  return { ...obj, apiVersion: 'autoscaling/v1', spec: v1spec, status: v1status } as KubeObject;
}
