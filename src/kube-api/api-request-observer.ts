/**
 * Where the listener announces each finished Kubernetes API request (the session's history groups them into
 * kubectl invocations: src/kube-api/invocations.ts). The fields are those of KHIST's ApiRequestRecord.
 */
export const API_REQUEST_OBSERVER = Symbol('API_REQUEST_OBSERVER');

export interface ObservedApiRequest {
  method: string;
  /** The API path, without `/k8s/<labSessionId>`. */
  path: string;
  query: string;
  kubectlCommand?: string;
  kubectlSession?: string;
  userAgent?: string;
  status: number;
  mutating: boolean;
  /** Epoch ms the request was answered (an upgraded stream: when it was upgraded). */
  at: number;
  /** summarizeRequestBody of a write's decoded body. */
  summary?: object;
}

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
