/**
 * The ingress-nginx controller of minikube's ingress add-on, as far as the API shows it: while its pod in
 * `ingress-nginx` is Ready it takes every Ingress of class `nginx` (and, with --watch-ingress-without-class, those
 * naming no class), records `Sync: Scheduled for sync` on it, and at its next status sync — every 60 s from the
 * moment it became ready — publishes the node IP as the Ingress's address. When its pod goes (the add-on is
 * disabled) it clears the addresses it published, as --update-status-on-shutdown does.
 */
import type { Ingress } from '../api/network-types';
import type { Node, Pod } from '../api/types';
import { WAKE, type Controller, type ControllerContext } from './context';
import { byCreation, creationMs, isPodReady } from './owners';

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const NGINX_CLASS = 'nginx';
/** ingress-nginx's status sync period (its status updater runs once a minute). */
export const STATUS_SYNC_MS = 60_000;
const SOURCE = { component: 'nginx-ingress-controller' };

/** Whether the add-on's controller handles this Ingress. */
export function servedByNginx(ing: Ingress): boolean {
  const cls = ing.spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  return cls === undefined || cls === NGINX_CLASS;
}

/** The controller's Ready pod, if the add-on runs. */
export function readyControllerPod(pods: Pod[]): Pod | undefined {
  return pods.find(
    (p) =>
      p.metadata.labels?.['app.kubernetes.io/component'] === 'controller' &&
      p.metadata.labels?.['app.kubernetes.io/name'] === 'ingress-nginx' &&
      !p.metadata.deletionTimestamp &&
      isPodReady(p),
  );
}

export class IngressNginxController implements Controller {
  readonly watches = ['ingresses', 'pods'] as const;
  /** Ingress uids already announced with `Scheduled for sync`. */
  private seen = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const { store } = this.ctx;
    if (store.count('ingresses') === 0) return;
    const pod = readyControllerPod(store.valuesIn<Pod>('pods', INGRESS_NAMESPACE));
    const ingresses = store.values<Ingress>('ingresses').sort(byCreation);
    if (!pod) {
      this.seen.clear();
      for (const ing of ingresses) if (servedByNginx(ing) && this.address(ing)) this.publish(ing, undefined);
      return;
    }
    const readyAt =
      Date.parse(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '') ||
      creationMs(pod);
    const nodeIp = this.nodeIp(pod.spec.nodeName);
    const now = this.ctx.now();
    for (const ing of ingresses) {
      if (!servedByNginx(ing) || ing.metadata.deletionTimestamp) continue;
      if (!this.seen.has(ing.metadata.uid!)) {
        this.seen.add(ing.metadata.uid!);
        this.ctx.events.record(ing, 'Normal', 'Sync', 'Scheduled for sync', SOURCE);
      }
      if (this.address(ing) === nodeIp) continue;
      // The first status sync after both the controller and the Ingress exist.
      const from = Math.max(readyAt, creationMs(ing));
      const due = readyAt + Math.ceil((from - readyAt + 1) / STATUS_SYNC_MS) * STATUS_SYNC_MS;
      if (now < due) {
        this.ctx.timers.replace(due, WAKE, `ingress-status/${ing.metadata.uid}`);
        continue;
      }
      this.publish(ing, nodeIp);
      this.ctx.events.record(ing, 'Normal', 'Sync', 'Scheduled for sync', SOURCE);
    }
  }

  private address(ing: Ingress): string | undefined {
    return ing.status?.loadBalancer?.ingress?.[0]?.ip;
  }

  private nodeIp(nodeName: string | undefined): string {
    const node = this.ctx.store.get<Node>('nodes', undefined, nodeName ?? '');
    return node?.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '192.168.49.2';
  }

  private publish(ing: Ingress, ip: string | undefined): void {
    const next: Ingress = {
      ...ing,
      status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} },
    };
    this.ctx.server.updateObject(next, { fromClient: false });
  }
}
