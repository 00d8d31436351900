/**
 * API shapes of the access-control, quota, priority and disruption-budget kinds (rbac.authorization.k8s.io/v1,
 * core/v1 ResourceQuota and LimitRange, scheduling.k8s.io/v1 PriorityClass, policy/v1 PodDisruptionBudget). Field names and
 * order follow the real API; only what the simulation reads is typed.
 */
import type * as core from 'kubernetes-types/core/v1';
import type { KubeObject, LabelSelector } from './types';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface Role extends KubeObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'Role';
  rules?: PolicyRule[];
}

export interface ClusterRole extends KubeObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRole';
  aggregationRule?: AggregationRule;
  rules?: PolicyRule[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
}

export interface RoleBinding extends KubeObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  roleRef: RoleRef;
  subjects?: Subject[];
}

export type ClusterRoleBinding = RoleBinding;

export interface ResourceQuota extends KubeObject {
  apiVersion: 'v1';
  kind: 'ResourceQuota';
  spec: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface PriorityClass extends KubeObject {
  apiVersion: 'scheduling.k8s.io/v1';
  kind: 'PriorityClass';
  value: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never' | string;
}

export interface PodDisruptionBudget extends KubeObject {
  apiVersion: 'policy/v1';
  kind: 'PodDisruptionBudget';
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelector;
    unhealthyPodEvictionPolicy?: string;
  };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed: number;
    currentHealthy: number;
    desiredHealthy: number;
    expectedPods: number;
    conditions?: {
      type: string;
      status: 'True' | 'False';
      observedGeneration?: number;
      lastTransitionTime: string;
      reason: string;
      message: string;
    }[];
  };
}

/** core/v1 LimitRange: per-namespace defaults and bounds for container, pod and claim resources. */
export interface LimitRange extends KubeObject {
  apiVersion: 'v1';
  kind: 'LimitRange';
  spec?: { limits?: LimitRangeItem[] };
}

export type LimitRangeItem = core.LimitRangeItem;
