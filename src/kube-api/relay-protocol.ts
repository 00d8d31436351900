/**
 * Between the API process's listener and a worker's relay: the request as kubectl sent it (its credentials
 * removed) plus headers saying which session it is for, whose cluster that is, what kind of request it is, and the
 * relay's secret (the relay serves nobody else).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { RequestKind } from './request-kind';

export const RELAY_HEADERS = {
  secret: 'x-kubelab-relay-secret',
  session: 'x-kubelab-session',
  owner: 'x-kubelab-owner',
  kind: 'x-kubelab-request-kind',
} as const;

/** Hop-by-hop and credential headers that never travel to the cluster. */
const DROPPED = new Set([
  'authorization',
  'host',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'proxy-connection',
  ...Object.values(RELAY_HEADERS),
]);

export function relayRequestHeaders(
  incoming: IncomingHttpHeaders,
  relay: { secret: string },
  admitted: {
    labSessionId: string;
    principal: { ownerId: string; readOnly: boolean };
    classified: { kind: RequestKind };
  },
  bodyLength: number | undefined,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || DROPPED.has(name)) continue;
    // A read-only token cannot act as someone else either.
    if (admitted.principal.readOnly && name.startsWith('impersonate-')) continue;
    // An upgrade keeps its Connection/Upgrade headers; a plain request's connection is the relay agent's own.
    if (name === 'connection' && bodyLength !== undefined) continue;
    headers[name] = value;
  }
  if (bodyLength !== undefined) headers['content-length'] = String(bodyLength);
  headers[RELAY_HEADERS.secret] = relay.secret;
  headers[RELAY_HEADERS.session] = admitted.labSessionId;
  headers[RELAY_HEADERS.owner] = admitted.principal.ownerId;
  headers[RELAY_HEADERS.kind] = admitted.classified.kind;
  return headers;
}
