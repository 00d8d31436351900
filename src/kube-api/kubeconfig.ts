/** The kubeconfig a student downloads for their lab session, and the one-line set-ups that put it in place. */
import { clientKubeconfigText, type KubeconfigData } from '../engine/store/kubeconfig';
import type { KubeApiSetup } from '../shared/kube-api';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function sessionKubeconfig(options: {
  server: string;
  token: string;
  caCert?: string;
  namespace: string;
}): string {
  return clientKubeconfigText(options);
}

/** The file name the kubeconfig downloads as (and the set-ups move into ~/.kube). */
export function kubeconfigFileName(labSessionId: string): string {
  return `kubelab-${labSessionId.slice(0, 8)}.kubeconfig`;
}

/** One line per shell: move the downloaded file to ~/.kube (private), point KUBECONFIG at it, check it works. */
export function setupLines(labSessionId: string): KubeApiSetup {
  const file = kubeconfigFileName(labSessionId);
  const posix =
    `mkdir -p ~/.kube && mv ~/Downloads/${file} ~/.kube/${file} && chmod 600 ~/.kube/${file} && ` +
    `export KUBECONFIG=~/.kube/${file} && kubectl get nodes`;
  return {
    linux: posix,
    macos: posix,
    windows:
      `New-Item -ItemType Directory -Force "$HOME\\.kube" | Out-Null; ` +
      `Move-Item -Force "$HOME\\Downloads\\${file}" "$HOME\\.kube\\${file}"; ` +
      `$env:KUBECONFIG = "$HOME\\.kube\\${file}"; kubectl get nodes`,
  };
}

/**
 * The namespace of the lab terminal's current context, from a cluster snapshot (Cluster.snapshot keeps the
 * terminal's kubeconfig once `kubectl config` changed it); `default` when it names none or one kubectl would refuse.
 */
export function contextNamespaceOf(snapshot: string | null | undefined): string {
  if (!snapshot) return 'default';
  let data: KubeconfigData | undefined;
  try {
    data = (JSON.parse(snapshot) as { kubeconfig?: KubeconfigData }).kubeconfig;
  } catch {
    return 'default';
  }
  const current = data?.contexts?.find((context) => context.name === data?.['current-context']);
  const namespace = current?.context?.namespace ?? '';
  return NAMESPACE.test(namespace) && namespace.length <= 63 ? namespace : 'default';
}
