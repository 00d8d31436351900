import type { CommandDef } from './command';
import { COMMANDS } from './commands';

/** `kubectl` / `kubectl --help`: the commands this lab's kubectl offers (a shortened form of the real help). */
export function rootHelp(): string {
  const lines = ['kubectl controls the Kubernetes cluster manager.', '', 'Commands available in this lab:'];
  const seen = new Set<string>();
  for (const command of COMMANDS) {
    const name = command.path[0];
    if (seen.has(name)) continue;
    seen.add(name);
    const short = command.path.length > 1 ? groupShort(name) : command.short;
    lines.push(`  ${name.padEnd(15)}${short}`);
  }
  lines.push(
    '',
    'Usage:',
    '  kubectl [flags] [options]',
    '',
    'Use "kubectl <command> --help" for more information about a given command.',
  );
  return lines.join('\n') + '\n';
}

function groupShort(name: string): string {
  return (
    {
      create: 'Create a resource from a file or from stdin',
      rollout: 'Manage the rollout of a resource',
      set: 'Set specific features on objects',
    }[name] ?? ''
  );
}

/** Help for one command or a command group. */
export function commandHelp(path: string, commands: CommandDef[]): string {
  if (commands.length === 1 && commands[0].path.join(' ') === path) {
    const command = commands[0];
    const lines = [`${command.short}.`, '', 'Options:'];
    for (const f of command.flags) {
      const names = f.shorthand ? `-${f.shorthand}, --${f.name}` : `    --${f.name}`;
      lines.push(
        `    ${names}${f.type === 'bool' ? '' : '=' + JSON.stringify(f.default ?? '')}:`,
        `\t${f.description ?? ''}`,
        '',
      );
    }
    lines.push('Usage:', `  ${command.usage}`, '');
    return lines.join('\n');
  }
  const lines = [`${groupShort(path)}.`, '', 'Available Commands:'];
  for (const c of commands) lines.push(`  ${c.path[1].padEnd(14)}${c.short}`);
  lines.push('', 'Usage:', `  kubectl ${path} SUBCOMMAND [options]`, '');
  return lines.join('\n');
}
