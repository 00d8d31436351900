/** What `curl` talks to: node IP + NodePort, ClusterIP + port, pod IP + container port. */
export type HttpResult =
  | { ok: true; status: number; body: string }
  | { ok: false; error: 'refused' | 'timeout' | 'no-route' | 'unresolved' };

/**
 * What an HTTPS request gets beyond HttpResult: the server does not speak TLS on that port ('tls-plain'), or its
 * certificate is not trusted (every certificate in a minikube is self-signed) and the client did not say `-k`.
 */
export type HttpsResult = HttpResult | { ok: false; error: 'tls-plain' | 'tls-untrusted' };

export interface ClusterNetwork {
  /** `host` is an IP or a service DNS name (`svc`, `svc.ns`, `svc.ns.svc.cluster.local`, resolved from namespace
   *  default); an unknown name gives 'unresolved' (curl's `Could not resolve host`). */
  httpGet(host: string, port: number, path?: string, hostHeader?: string): HttpResult;
  /** The same over TLS; `insecure`: the certificate is not checked (curl -k). */
  httpsGet(
    host: string,
    port: number,
    path: string,
    hostHeader: string | undefined,
    insecure: boolean,
  ): HttpsResult;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The shell's working directory after the command, when it changed (`cd`). */
  cwd?: string;
  /** Simulated time the command took (`sleep`): an exec probe past its timeoutSeconds times out. */
  elapsedMs?: number;
}

/** `kubectl logs` and `kubectl exec` inside the simulated containers. */
export interface ContainerRuntime {
  /** The container's log lines (the bootcamp app's start line and one line per HTTP request it served).
   *  Throws StatusError BadRequest with kubectl's text when the container has not started. */
  logs(
    namespace: string,
    pod: string,
    container?: string,
    options?: { previous?: boolean; timestamps?: boolean; since?: number; tail?: number },
  ): string;
  /** Runs argv inside the container. Throws StatusError (NotFound / BadRequest) when the pod or container is not
   *  there or not running; otherwise returns the program's output (unknown program → exit 127). */
  exec(
    namespace: string,
    pod: string,
    container: string | undefined,
    argv: string[],
    options?: { tty?: boolean; cwd?: string; interactive?: boolean; stdin?: string },
  ): ExecResult;
  /** `kubectl cp` into the container: writes a file (absolute path); 'read-only' when a read-only mount holds it.
   *  Throws like exec when the pod or container is not there or not running. */
  writeFile(
    namespace: string,
    pod: string,
    container: string | undefined,
    path: string,
    content: string,
  ): 'read-only' | undefined;
}
