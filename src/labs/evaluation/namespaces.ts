/**
 * The namespace each command of a history ran in: its own `-n`/`--namespace` flag, else the kubeconfig
 * context's namespace at that moment (`kubectl config set-context --current --namespace=shop` changes it),
 * else `default`. A runner that knows the context's namespace when a command started records it in the
 * entry (`contextNamespace`), and one that knows where the command itself ran records that (`namespace`, so a
 * context switched by `kubectl config use-context` or an edited kubeconfig counts); otherwise both are replayed
 * from the history's own `set-context` commands (older records). A command with `-A`/`--all-namespaces` ran in `*`.
 */
import { HistoryEntry } from './context';

export const ALL_NAMESPACES = '*';
const DEFAULT_NAMESPACE = 'default';

/** Effective namespaces of the history's entries, in order, and the context namespace after the last. */
export function effectiveNamespaces(history: readonly HistoryEntry[]): {
  namespaces: string[];
  after: string;
} {
  let context = DEFAULT_NAMESPACE;
  const namespaces = history.map((entry) => {
    if (entry.contextNamespace !== undefined) context = entry.contextNamespace || DEFAULT_NAMESPACE;
    const namespace = entry.namespace ?? namespaceOf(entry.command, context);
    if (entry.exitCode === 0) context = contextNamespaceAfter(entry.command) ?? context;
    return namespace;
  });
  return { namespaces, after: context };
}

/** The namespace one kubectl line runs in, given the context's. */
export function namespaceOf(command: string, contextNamespace: string): string {
  const words = kubectlWords(command);
  // `kubectl config ...` edits the kubeconfig; its --namespace is a value it writes, not where it runs.
  if (!words || words[0] === 'config') return contextNamespace;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '--') break;
    if (word === '-A' || word === '--all-namespaces' || word === '--all-namespaces=true')
      return ALL_NAMESPACES;
    if ((word === '-n' || word === '--namespace') && words[i + 1] !== undefined) return words[i + 1];
    if (word.startsWith('--namespace=')) return word.slice('--namespace='.length);
    if (/^-n[^-]/.test(word)) return word.slice(2).replace(/^=/, '');
  }
  return contextNamespace;
}

/** `kubectl config set-context --current --namespace=X` (or naming minikube's context) sets X. */
export function contextNamespaceAfter(command: string): string | undefined {
  const words = kubectlWords(command);
  if (!words || words[0] !== 'config' || words[1] !== 'set-context') return undefined;
  const target = words.slice(2).filter((word) => !word.startsWith('-'));
  const current = words.includes('--current') || target[0] === 'minikube';
  if (!current) return undefined;
  for (let i = 2; i < words.length; i++) {
    if (words[i] === '--namespace' && words[i + 1] !== undefined) return words[i + 1] || DEFAULT_NAMESPACE;
    if (words[i].startsWith('--namespace='))
      return words[i].slice('--namespace='.length) || DEFAULT_NAMESPACE;
  }
  return undefined;
}

/** The words after `kubectl` of a line's first kubectl command (quotes removed); undefined for other lines. */
function kubectlWords(command: string): string[] | undefined {
  const words = (command.trim().match(/"[^"]*"|'[^']*'|[^\s;&|]+|[;&|]+/g) ?? []).map((word) =>
    word.replace(/^(["'])(.*)\1$/, '$2'),
  );
  const start = words.indexOf('kubectl');
  if (start < 0) return undefined;
  const end = words.findIndex((word, index) => index > start && /^[;&|]+$/.test(word));
  return words.slice(start + 1, end < 0 ? undefined : end);
}
