/**
 * events.k8s.io/v1 Events are the core Events seen through another schema (one etcd table; the API server
 * converts on the way, pkg/apis/events/v1 conversion): involvedObject is `regarding`, message `note`, and the
 * legacy fields carry a `deprecated` prefix. Fields are written in the v1 struct's order, with its omitempty rules.
 */
import type { KubeObject } from './types';

type Json = Record<string, unknown>;

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== 0;

export function toEventsV1(event: KubeObject): KubeObject {
  const e = event as unknown as Json;
  const out: Json = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
  };
  if (e.series) out.series = e.series;
  if (present(e.reportingComponent)) out.reportingController = e.reportingComponent;
  if (present(e.reportingInstance)) out.reportingInstance = e.reportingInstance;
  if (present(e.action)) out.action = e.action;
  if (present(e.reason)) out.reason = e.reason;
  out.regarding = e.involvedObject ?? {};
  if (e.related) out.related = e.related;
  if (present(e.message)) out.note = e.message;
  if (present(e.type)) out.type = e.type;
  out.deprecatedSource = e.source ?? {};
  out.deprecatedFirstTimestamp = e.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = e.lastTimestamp ?? null;
  if (present(e.deprecatedCount ?? e.count)) out.deprecatedCount = e.count;
  return out as unknown as KubeObject;
}

/** A client's events.k8s.io/v1 Event as the core Event the API server stores. */
export function fromEventsV1(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const e = body as Json;
  const out: Json = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata };
  out.involvedObject = e.regarding ?? {};
  if (e.reason !== undefined) out.reason = e.reason;
  if (e.note !== undefined) out.message = e.note;
  out.source = e.deprecatedSource ?? {};
  out.firstTimestamp = e.deprecatedFirstTimestamp ?? null;
  out.lastTimestamp = e.deprecatedLastTimestamp ?? null;
  if (e.deprecatedCount !== undefined) out.count = e.deprecatedCount;
  if (e.type !== undefined) out.type = e.type;
  out.eventTime = e.eventTime ?? null;
  if (e.series !== undefined) out.series = e.series;
  if (e.action !== undefined) out.action = e.action;
  if (e.related !== undefined) out.related = e.related;
  out.reportingComponent = e.reportingController ?? '';
  out.reportingInstance = e.reportingInstance ?? '';
  return out;
}
