/**
 * The lab shell's prompt as the web terminal shows it: bash's Debian default `\u@\h:\w\$ `, with the student's
 * user, the lab machine's name and the working directory as `pwd` would give it below the home (`~`, `~/app`).
 * `workingDirectoryAfterCd` follows a successful `cd` the way the terminal's `cd` moves (home/file-commands.ts),
 * so a client that sees only the commands and their exit codes keeps the same directory as the shell.
 */
export const PROMPT_USER = 'student';
export const PROMPT_HOST = 'kubelab';

/** `student@kubelab:~/app$ ` for the working directory `~/app`. */
export function shellPrompt(workingDirectory: string): string {
  return `${PROMPT_USER}@${PROMPT_HOST}:${workingDirectory}$ `;
}

/**
 * Where a `cd ARGS` that succeeded leaves the shell, as `~` or `~/DIR`; undefined when it cannot be told from the
 * words alone (a variable or substitution in the path).
 */
export function workingDirectoryAfterCd(
  cwd: string,
  oldCwd: string | undefined,
  args: readonly string[],
): string | undefined {
  const operands = args.filter((a, i) => !(i === 0 && a === '--'));
  const [target] = operands;
  if (target === undefined || target === '~') return '~';
  if (target === '-') return oldCwd;
  if (/[$`]/.test(target)) return undefined;
  let parts: string[];
  if (target.startsWith('~/')) parts = target.slice(2).split('/');
  else if (target === '/home/student' || target.startsWith('/home/student/'))
    parts = target.slice('/home/student'.length).split('/');
  else if (target.startsWith('/')) return undefined;
  else parts = [...segments(cwd), ...target.split('/')];
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // Above the home is outside the lab's files: such a cd fails, so it never gets here.
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.length === 0 ? '~' : `~/${out.join('/')}`;
}

function segments(workingDirectory: string): string[] {
  return workingDirectory === '~' ? [] : workingDirectory.slice(2).split('/');
}
