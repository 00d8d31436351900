import type { KubeApiAccess } from '@shared/kube-api';
import { ApiError, request } from '../lib/api';
import { attachmentName } from './attachment-name';

const base = (labSessionId: string) => `/lab-sessions/${encodeURIComponent(labSessionId)}/kube-api`;

/** The "Use your own kubectl" endpoints of one lab session (src/shared/kube-api.ts describes the replies). */
export const kubeApi = {
  access: (labSessionId: string) => request<KubeApiAccess>('GET', base(labSessionId)),
  /** Issues a new token; the server revokes the old one, so a kubeconfig downloaded before stops working. */
  newToken: (labSessionId: string) => request<KubeApiAccess>('POST', `${base(labSessionId)}/token`),
  kubeconfigUrl: (labSessionId: string) => `/api${base(labSessionId)}/kubeconfig`,
};

/** A kubeconfig as the server sent it, ready to be saved. */
export interface KubeconfigFile {
  name: string;
  blob: Blob;
}

/**
 * Fetches the kubeconfig (the server issues a token when none is current). Fetched rather than followed as a
 * link so that a refusal (the session ended, the cluster is gone) is shown in the panel as the API's message
 * instead of being saved as a file, and so the panel knows when the token it shows has changed.
 */
export async function fetchKubeconfig(labSessionId: string): Promise<KubeconfigFile> {
  let response: Response;
  try {
    response = await fetch(kubeApi.kubeconfigUrl(labSessionId), {
      credentials: 'same-origin',
      headers: { Accept: 'application/yaml, text/yaml, */*' },
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) throw new ApiError(response.status, await refusalMessage(response));
  return {
    name: attachmentName(response.headers.get('Content-Disposition'), `kubelab-${labSessionId}.kubeconfig`),
    blob: await response.blob(),
  };
}

/** The API's `{ message }` when it answered JSON, else the status line. */
async function refusalMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const { message } = JSON.parse(text) as { message?: unknown };
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** Hands a file to the browser's downloads, as a link with `download` would. */
export function saveFile({ name, blob }: KubeconfigFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on a later turn: the download has taken the blob by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
