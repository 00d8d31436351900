import type { CommandDef } from './command';
import { realHelp } from './real-kubectl';

/** `kubectl` / `kubectl --help`: kubectl v1.30's own text (it lists every command; the lab names those it lacks). */
export function rootHelp(): string {
  return realHelp('') as string;
}

/**
 * Help for one command or a command group: kubectl v1.30's own screen, captured from the binary. A command the lab
 * adds that kubectl does not have gets a short screen built from its definition.
 */
export function commandHelp(path: string, commands: CommandDef[]): string {
  const real = realHelp(path);
  if (real !== undefined) return real;
  const lines = [`${commands[0]?.short ?? path}.`, ''];
  if (commands.length === 1 && commands[0].path.join(' ') === path) {
    lines.push('Usage:', `  ${commands[0].usage}`, '');
  } else {
    lines.push('Available Commands:');
    for (const c of commands)
      lines.push(`  ${c.path.slice(path.split(' ').length).join(' ').padEnd(14)}${c.short}`);
    lines.push('', 'Usage:', `  kubectl ${path} SUBCOMMAND [options]`, '');
  }
  return lines.join('\n');
}
