import type { ApiRequestRecord } from './invocations';

/**
 * Where the listener announces each finished Kubernetes API request (the session's history groups them into
 * kubectl invocations: src/kube-api/invocations.ts).
 */
export const API_REQUEST_OBSERVER = Symbol('API_REQUEST_OBSERVER');

/** One answered request: the session's history tracker's own record (src/kube-api/invocations.ts). */
export type ObservedApiRequest = ApiRequestRecord;

/** What identifies a request's invocation before it is answered. */
export type StartedApiRequest = Pick<
  ObservedApiRequest,
  'kubectlSession' | 'kubectlCommand' | 'userAgent' | 'path' | 'at'
>;

export interface ApiRequestObserver {
  /** A request arrived (it may wait for its turn); every request reported here is reported to observe() too. */
  started?(labSessionId: string, request: StartedApiRequest): void;
  observe(labSessionId: string, record: ObservedApiRequest): void;
}
