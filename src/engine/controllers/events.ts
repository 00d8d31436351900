import { flat } from '../api/flat-string';
import { rfc3339 } from '../api/time';
import type { KubeEvent, KubeObject } from '../api/types';
import type { KubeApiServer } from '../server/kube-api-server';

/** Events live for an hour after their last occurrence (kube-apiserver --event-ttl default). */
export const EVENT_TTL_MS = 60 * 60 * 1000;

export interface EventSource {
  component: string;
  host?: string;
}

function aggregationKey(
  involvedUid: string,
  type: string,
  reason: string,
  message: string,
  component: string,
): string {
  return `${involvedUid}\u0000${type}\u0000${reason}\u0000${message}\u0000${component}`;
}

const LOW = 2 ** 20;

/**
 * The hex of `now` × 10^6 + `extra` (a nanosecond-like stamp, past 2^53): computed in two exact parts of 20 bits
 * rather than with BigInt, which costs more than the rest of recording an event.
 */
export function eventNameSuffix(now: number, extra: number): string {
  const high = Math.floor(now / LOW) * 1_000_000;
  const low = (now % LOW) * 1_000_000 + extra;
  const carry = Math.floor(low / LOW);
  const top = high + carry;
  const bottom = (low % LOW).toString(16);
  return top > 0 ? top.toString(16) + bottom.padStart(5, '0') : bottom;
}

/**
 * client-go's event recorder: an identical event (same object, type, reason, message, source) is not repeated
 * but counted (`count`, `lastTimestamp`), which `describe` shows as `(x4 over 3m11s)`.
 */
export class EventRecorder {
  private index: Map<string, string> | undefined;

  constructor(
    private readonly server: KubeApiServer,
    private readonly now: () => number,
  ) {}

  private byKey(): Map<string, string> {
    if (!this.index) {
      this.index = new Map();
      for (const e of this.server.store.values<KubeEvent>('events'))
        this.index.set(
          aggregationKey(e.involvedObject.uid ?? '', e.type, e.reason, e.message, e.source.component),
          `${e.metadata.namespace}/${e.metadata.name}`,
        );
    }
    return this.index;
  }

  record(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const now = this.now();
    const stamp = rfc3339(now);
    const namespace = obj.metadata.namespace ?? 'default';
    const key = flat(aggregationKey(obj.metadata.uid ?? '', type, reason, message, source.component));
    const index = this.byKey();
    const existingRef = index.get(key);
    if (existingRef) {
      const [ns, name] = existingRef.split('/');
      const existing = this.server.store.get<KubeEvent>('events', ns, name);
      if (existing) {
        const bumped: KubeEvent = {
          ...existing,
          metadata: { ...existing.metadata },
          count: existing.count + 1,
          lastTimestamp: stamp,
        };
        this.server.store.put('events', bumped);
        return;
      }
    }
    const suffix = eventNameSuffix(now, this.server.store.revision % 1000000);
    const event: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${obj.metadata.name}.${suffix}`,
        namespace,
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
      },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath: flat(fieldPath) } : {}),
      },
      reason,
      message: flat(message),
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    // Like client-go's recorder, an event the server refuses (its namespace is terminating) is dropped.
    const created = this.server.createTrusted('events', event);
    if (created) index.set(key, flat(`${namespace}/${created.metadata.name}`));
  }

  /** Drops events whose last occurrence is older than the TTL. */
  expire(): void {
    const cutoff = this.now() - EVENT_TTL_MS;
    for (const e of this.server.store.values<KubeEvent>('events')) {
      if (Date.parse(e.lastTimestamp) < cutoff) {
        this.server.removeObject('events', e.metadata.namespace, e.metadata.name);
        this.index?.delete(
          aggregationKey(e.involvedObject.uid ?? '', e.type, e.reason, e.message, e.source.component),
        );
      }
    }
  }

  /** Earliest time an event expires, for the cluster's timer. */
  nextExpiry(): number | undefined {
    let min: number | undefined;
    for (const e of this.server.store.values<KubeEvent>('events')) {
      const at = Date.parse(e.lastTimestamp) + EVENT_TTL_MS;
      if (min === undefined || at < min) min = at;
    }
    return min;
  }
}
