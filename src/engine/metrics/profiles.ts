/**
 * What a container uses when nobody sends it work: an idle CPU rate and a resident memory size per image, and the
 * CPU a steady stream of requests costs it. The control-plane figures are those of an idle minikube v1.33.1 node
 * (kube-apiserver the busiest); course images are small servers that idle near zero.
 */
import { lookupImage, type AppKind } from '../runtime/images';

const MI = 1024 * 1024;

export interface UsageProfile {
  /** Idle CPU, millicores. */
  idleMillicores: number;
  /** Resident memory, bytes. */
  memoryBytes: number;
  /** CPU one saturating client (a `wget` loop) costs the pods of a Service, millicores, shared among them. */
  perClientMillicores: number;
}

/** The control plane and add-ons, by container name (their images all run as the `system` app). */
const SYSTEM: Record<string, UsageProfile> = {
  'kube-apiserver': { idleMillicores: 42, memoryBytes: 262 * MI, perClientMillicores: 0 },
  etcd: { idleMillicores: 18, memoryBytes: 44 * MI, perClientMillicores: 0 },
  'kube-controller-manager': { idleMillicores: 14, memoryBytes: 48 * MI, perClientMillicores: 0 },
  'kube-scheduler': { idleMillicores: 3, memoryBytes: 19 * MI, perClientMillicores: 0 },
  coredns: { idleMillicores: 2, memoryBytes: 13 * MI, perClientMillicores: 0 },
  'kube-proxy': { idleMillicores: 1, memoryBytes: 15 * MI, perClientMillicores: 0 },
  'storage-provisioner': { idleMillicores: 1, memoryBytes: 9 * MI, perClientMillicores: 0 },
};

const APPS: Partial<Record<AppKind, UsageProfile>> = {
  bootcamp: { idleMillicores: 0, memoryBytes: 11 * MI, perClientMillicores: 60 },
  nginx: { idleMillicores: 0, memoryBytes: 3 * MI, perClientMillicores: 25 },
  httpd: { idleMillicores: 1, memoryBytes: 5 * MI, perClientMillicores: 30 },
  redis: { idleMillicores: 2, memoryBytes: 3 * MI, perClientMillicores: 0 },
  busybox: { idleMillicores: 0, memoryBytes: MI / 2, perClientMillicores: 0 },
  alpine: { idleMillicores: 0, memoryBytes: MI / 2, perClientMillicores: 0 },
  perl: { idleMillicores: 0, memoryBytes: 4 * MI, perClientMillicores: 0 },
  stress: { idleMillicores: 0, memoryBytes: MI, perClientMillicores: 0 },
  // php-apache computes a million square roots per request: one client keeps about 0.7 of a core busy.
  'hpa-example': { idleMillicores: 1, memoryBytes: 9 * MI, perClientMillicores: 700 },
  'metrics-server': { idleMillicores: 4, memoryBytes: 19 * MI, perClientMillicores: 0 },
  dashboard: { idleMillicores: 1, memoryBytes: 11 * MI, perClientMillicores: 0 },
  'metrics-scraper': { idleMillicores: 1, memoryBytes: 7 * MI, perClientMillicores: 0 },
};

const UNKNOWN: UsageProfile = { idleMillicores: 1, memoryBytes: 4 * MI, perClientMillicores: 20 };

export function usageProfile(image: string, containerName: string): UsageProfile {
  const app = lookupImage(image)?.app;
  if (app === 'system') return SYSTEM[containerName] ?? UNKNOWN;
  return (app && APPS[app]) || UNKNOWN;
}

/** What the node itself uses outside pods (dockerd, kubelet, systemd), added to its pods' sum. */
export const NODE_OVERHEAD = { millicores: 78, memoryBytes: 286 * MI };

/** A client's own cost: busybox looping wget or curl. */
export const CLIENT_LOOP_MILLICORES = 6;
