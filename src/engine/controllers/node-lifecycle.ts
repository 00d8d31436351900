/**
 * The part of kube-controller-manager's node lifecycle controller that mirrors `spec.unschedulable` into a taint
 * (doNoScheduleTaintingPass, TaintNodeByCondition): a cordoned node gets `node.kubernetes.io/unschedulable:NoSchedule`
 * with its `timeAdded` (SwapNodeControllerTaint stamps every taint it adds), appended after the node's other taints;
 * an uncordoned node loses it, and so does a node that never was cordoned but had it added by hand.
 *
 * It also records what the node's kubelet reports of the change (recordNodeSchedulableEvent): `NodeNotSchedulable`
 * or `NodeSchedulable`, `Node <name> status is now: <reason>`, from source kubelet on that node, referring to the
 * node with its name as uid as every kubelet event does. The kubelet notices at its next node status update (every
 * 10 s); the simulation records it when the taint changes, so the taint stands for the kubelet's remembered state and
 * no second copy of it is kept (or snapshotted).
 */
import { rfc3339 } from '../api/time';
import type { KubeObject, Node, Taint } from '../api/types';
import type { Controller, ControllerContext } from './context';

export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

const isUnschedulableTaint = (t: Taint) => t.key === UNSCHEDULABLE_TAINT_KEY && t.effect === 'NoSchedule';

export class NodeLifecycleController implements Controller {
  readonly watches = ['nodes'] as const;

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    for (const node of this.ctx.store.values<Node>('nodes')) {
      const wanted = node.spec.unschedulable === true;
      const taints = node.spec.taints ?? [];
      const has = taints.some(isUnschedulableTaint);
      if (wanted === has) continue;
      const next: Taint[] = wanted
        ? [
            ...taints,
            { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: rfc3339(this.ctx.now()) },
          ]
        : taints.filter((t) => !isUnschedulableTaint(t));
      const spec: Node['spec'] = { ...node.spec };
      if (next.length > 0) spec.taints = next;
      else delete spec.taints;
      this.ctx.server.updateObject({ ...node, spec }, { fromClient: false });
      // A taint added by hand (no timeAdded) never meant the node was cordoned: the kubelet saw no change.
      if (wanted || taints.some((t) => isUnschedulableTaint(t) && t.timeAdded))
        this.recordKubeletEvent(node.metadata.name, wanted ? 'NodeNotSchedulable' : 'NodeSchedulable');
    }
  }

  private recordKubeletEvent(name: string, reason: string): void {
    const ref: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
    this.ctx.events.record(ref, 'Normal', reason, `Node ${name} status is now: ${reason}`, {
      component: 'kubelet',
      host: name,
    });
  }
}
