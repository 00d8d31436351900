/**
 * The lab machine's `~/.kube/config` as `minikube start` writes it (one cluster, context and user named after the
 * profile, the context's namespace `default`). kubectl's `config` commands change it and every later kubectl
 * command reads its current context's namespace. It belongs to the machine, not to one terminal: the cluster
 * keeps it and its snapshot carries it, so it survives a restore on another worker.
 */
import { flat } from '../api/flat-string';

export interface KubeconfigExtension {
  name: string;
  extension: { 'last-update': string; provider: string; version: string };
}

export interface NamedCluster {
  name: string;
  cluster: { server: string; 'certificate-authority'?: string; extensions?: KubeconfigExtension[] };
}

export interface NamedContext {
  name: string;
  context: { cluster: string; user: string; namespace?: string; extensions?: KubeconfigExtension[] };
}

export interface NamedUser {
  name: string;
  user: { 'client-certificate'?: string; 'client-key'?: string };
}

/** The file's content (clientcmd v1 form). Lists are kept sorted by name, as kubectl writes them. */
export interface KubeconfigData {
  clusters: NamedCluster[];
  contexts: NamedContext[];
  'current-context': string;
  users: NamedUser[];
}

export const KUBECONFIG_PATH = '/home/student/.kube/config';
const MINIKUBE_HOME = '/home/student/.minikube';

/** Go's time.RFC1123 in UTC: `Mon, 03 Jun 2024 02:13:30 UTC`. */
export function rfc1123(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return flat(
    `${days[d.getUTCDay()]}, ${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`,
  );
}

export function minikubeKubeconfig(profile: string, server: string, startedAt: number): KubeconfigData {
  const extension = (name: string): KubeconfigExtension[] => [
    {
      name,
      extension: { 'last-update': rfc1123(startedAt), provider: 'minikube.sigs.k8s.io', version: 'v1.33.1' },
    },
  ];
  return {
    clusters: [
      {
        name: profile,
        cluster: {
          server,
          'certificate-authority': `${MINIKUBE_HOME}/ca.crt`,
          extensions: extension('cluster_info'),
        },
      },
    ],
    contexts: [
      {
        name: profile,
        context: {
          cluster: profile,
          user: profile,
          namespace: 'default',
          extensions: extension('context_info'),
        },
      },
    ],
    'current-context': profile,
    users: [
      {
        name: profile,
        user: {
          'client-certificate': `${MINIKUBE_HOME}/profiles/${profile}/client.crt`,
          'client-key': `${MINIKUBE_HOME}/profiles/${profile}/client.key`,
        },
      },
    ],
  };
}

/** The kubeconfig of one lab machine; `edits` counts changes so the owner knows its state moved. */
export class Kubeconfig {
  private edits = 0;

  constructor(
    private data: KubeconfigData,
    private readonly onChange: () => void = () => {},
  ) {}

  get content(): Readonly<KubeconfigData> {
    return this.data;
  }

  /** Whether the file differs from what minikube wrote (only then is it part of a snapshot). */
  get changed(): boolean {
    return this.edits > 0;
  }

  /** The current context's namespace; '' when it has none (kubectl then uses `default`). */
  namespace(): string {
    const current = this.data.contexts.find((c) => c.name === this.data['current-context']);
    return current?.context.namespace ?? '';
  }

  /** Applies a change to a copy of the file and keeps it. */
  update(change: (draft: KubeconfigData) => void): void {
    const draft = JSON.parse(JSON.stringify(this.data)) as KubeconfigData;
    change(draft);
    for (const list of [draft.clusters, draft.contexts, draft.users])
      list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.data = draft;
    this.edits++;
    this.onChange();
  }

  /** Restores a file saved in a snapshot. */
  load(data: KubeconfigData): void {
    this.data = data;
    this.edits = 1;
  }
}

/**
 * A kubeconfig for a real kubectl on this machine talking to `server` (engine serve, or the oracle's address where
 * nothing listens): cluster, context and user named `minikube`, namespace `default`, and a bearer token, since without
 * credentials kubectl would prompt for a user name on its stdin.
 */
export function clientKubeconfigText(options: {
  server: string;
  token: string;
  caCert?: string;
  /** The context's namespace (default: `default`). */
  namespace?: string;
}): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: minikube', '  cluster:'];
  lines.push(`    server: ${options.server}`);
  if (options.caCert)
    lines.push(`    certificate-authority-data: ${Buffer.from(options.caCert).toString('base64')}`);
  lines.push(
    'contexts:',
    '- name: minikube',
    '  context:',
    '    cluster: minikube',
    `    namespace: ${options.namespace ?? 'default'}`,
    '    user: minikube',
    'current-context: minikube',
    'users:',
    '- name: minikube',
    '  user:',
    `    token: ${options.token}`,
    '',
  );
  return lines.join('\n');
}
