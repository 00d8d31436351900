import { shellPrompt, workingDirectoryAfterCd } from '../../../src/engine/terminal/prompt';
import { parseKubectlArgs, SHELLS } from './kubectl-vocabulary';
import { splitWords } from './shell-words';

/** The lab shell's prompt in the home directory: `student@kubelab:~$ `. */
export const SHELL_PROMPT = shellPrompt('~');

/**
 * The lab shell's prompt as bash shows it (`student@kubelab:~/app$ `), following the working directory through
 * each `cd` that succeeded, and the pod shell's prompt while one is open (promptAfter). Like promptAfter it
 * learns from the commands and their outcomes, so replaying the history after a reload ends in the same place.
 */
export class PromptTracker {
  private cwd = '~';
  private oldCwd: string | undefined;
  private podPrompt: string | undefined;

  get prompt(): string {
    return this.podPrompt ?? shellPrompt(this.cwd);
  }

  reset(): void {
    this.cwd = '~';
    this.oldCwd = undefined;
    this.podPrompt = undefined;
  }

  /** The prompt after `command` ended with `result`. */
  after(command: string, result: { exitCode: number | null; status: string }): string {
    const inPod = this.podPrompt !== undefined;
    const next = promptAfter(this.podPrompt ?? SHELL_PROMPT, command, result);
    this.podPrompt = next === SHELL_PROMPT ? undefined : next;
    const ok = result.status === 'completed' && result.exitCode === 0;
    const words = splitWords(command.trim()).words;
    // Only a plain `cd` line moves the shell: in a pipeline or a background job it runs in a subshell.
    if (!inPod && ok && words[0] === 'cd' && !/[|&;<>]/.test(command)) {
      const cwd = workingDirectoryAfterCd(this.cwd, this.oldCwd, words.slice(1));
      if (cwd !== undefined) {
        this.oldCwd = this.cwd;
        this.cwd = cwd;
      }
    }
    return this.prompt;
  }
}

/**
 * The prompt the server's terminal shows next, worked out from the commands that ran: SHELL_PROMPT normally,
 * `root@HOST:/# ` inside `kubectl exec -ti POD -- bash` and `docker@NODE:~$ ` inside `minikube ssh`, until `exit`.
 * The server keeps the real state;
 * this follows it from the same history (also when the history is replayed after a reload).
 * HOST is the pod name up to its first dot, as the terminal's bash prints it; for `deploy/NAME` the
 * pod is not named in the command, so its deployment name stands in (exact when NAME has a dot).
 */
export function promptAfter(
  prompt: string,
  command: string,
  result: { exitCode: number | null; status: string },
): string {
  if (result.status !== 'completed' || result.exitCode !== 0) return prompt;
  const words = splitWords(command.trim()).words;
  if (prompt !== SHELL_PROMPT) return words[0] === 'exit' ? SHELL_PROMPT : prompt;
  const host = podShellHost(words, command);
  if (host) return `root@${host}:/# `;
  // `minikube ssh` without a command opens the node's shell as the docker user, in its home.
  const node = nodeShellHost(words, command);
  return node ? `docker@${node}:~$ ` : prompt;
}

/** The node `minikube ssh [-n NODE]` (no command) logs in to; the profile's first node is `minikube`. */
function nodeShellHost(words: string[], command: string): string | undefined {
  if (words[0] !== 'minikube' || /[|&]|\$\(/.test(command)) return undefined;
  let node = 'minikube';
  const rest: string[] = [];
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '-n' || words[i] === '--node') node = words[++i] ?? node;
    else if (words[i].startsWith('--node=')) node = words[i].slice('--node='.length);
    else rest.push(words[i]);
  }
  return rest.length === 1 && rest[0] === 'ssh' ? node : undefined;
}

function podShellHost(words: string[], command: string): string | undefined {
  if (words[0] !== 'kubectl' || command.includes('|') || command.includes('$(')) return undefined;
  const rest = words.slice(1);
  const dash = rest.indexOf('--');
  if (dash < 0) return undefined;
  const before = rest.slice(0, dash);
  const after = rest.slice(dash + 1);
  if (after.length !== 1 || !SHELLS.includes(after[0])) return undefined;
  const stdin = before.some(
    (word) => /^-[a-z]*i[a-z]*$/.test(word) || word === '--stdin' || word === '--stdin=true',
  );
  const args = parseKubectlArgs(before);
  if (!stdin || args.positional[0] !== 'exec' || args.positional.length !== 2) return undefined;
  const target = args.positional[1];
  const name = target.includes('/') ? target.slice(target.indexOf('/') + 1) : target;
  return name.split('.')[0] || undefined;
}
