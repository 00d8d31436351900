/**
 * Replies of the "Use your own kubectl" endpoints (issue 20), shared by the API and the web workspace.
 *
 *   GET  /api/lab-sessions/:id/kube-api            → KubeApiAccess
 *   GET  /api/lab-sessions/:id/kube-api/kubeconfig → the kubeconfig YAML (attachment; issues a token if none is current)
 *   POST /api/lab-sessions/:id/kube-api/token      → KubeApiAccess (a new token; the old one is revoked)
 */

/** The current token of a session, without its secret (the secret is only ever in a downloaded kubeconfig). */
export interface KubeApiTokenInfo {
  id: string;
  createdAt: string;
  expiresAt: string;
}

/** One-line set-ups that download the kubeconfig and point kubectl at it, per shell. */
export interface KubeApiSetup {
  linux: string;
  macos: string;
  windows: string;
}

export interface KubeApiAccess {
  /** The server URL kubectl talks to: https://HOST:PORT/k8s/<labSessionId>. */
  server: string;
  /** Base64 PEM of the CA that signed the listener's certificate (absent when an operator's front serves a public certificate). */
  caData?: string;
  token: KubeApiTokenInfo | null;
  /** The namespace the kubeconfig's context uses: the one the student last set in the terminal. */
  namespace: string;
  setup: KubeApiSetup;
}
