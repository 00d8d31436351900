/**
 * Reading kubectl's help screens: the subcommands a screen lists and the flags of its Options section (name,
 * shorthand, the type its default is shown with, the default). Used by scripts/oracle/capture-help.ts and by
 * test/oracle/help.int-spec.ts.
 */
/** Flags whose NoOptDefVal (the value taken without `=`) the help screen does not show (kubectl v1.30 sources). */
const NO_OPT_DEFAULTS: Record<string, string> = {
  'dry-run': 'unchanged',
  validate: 'strict',
  cascade: 'background',
};

export interface CapturedFlag {
  name: string;
  shorthand?: string;
  type: 'bool' | 'string' | 'int' | 'duration' | 'stringArray' | 'map';
  default: string;
  noOptDefault?: string;
}

/** The names under a screen's command sections (`Available Commands:` or the root's groups). */
export function subcommandsOf(help: string): string[] {
  const names: string[] = [];
  let inSection = false;
  for (const line of help.split('\n')) {
    if (/^[A-Z].*Commands( \(.*\))?:$/.test(line)) inSection = true;
    else if (line === '') inSection = false;
    else if (inSection) {
      const match = /^ {2}(\S+) {2,}/.exec(line) ?? /^ {2}(\S+)$/.exec(line);
      if (match) names.push(match[1]);
    }
  }
  return names;
}

/** The flags listed in a screen's `Options:` section (or the whole `kubectl options` screen). */
export function flagsOf(help: string): CapturedFlag[] {
  const flags: CapturedFlag[] = [];
  for (const line of help.split('\n')) {
    const match = /^ {4}(?:-(\S), )?--([\w-]+)=(.*):$/.exec(line);
    if (!match) continue;
    const [, shorthand, name, shown] = match;
    const flag: CapturedFlag = { name, type: typeOf(shown), default: defaultOf(shown) };
    if (shorthand) flag.shorthand = shorthand;
    if (NO_OPT_DEFAULTS[name] !== undefined) flag.noOptDefault = NO_OPT_DEFAULTS[name];
    flags.push(flag);
  }
  return flags;
}

/** kubectl's help quotes string defaults ('x'); other types print their value as Go formats it. */
function typeOf(shown: string): CapturedFlag['type'] {
  if (/^'.*'$/.test(shown)) return 'string';
  if (shown === 'true' || shown === 'false') return 'bool';
  if (/^\[.*\]$/.test(shown)) return 'stringArray';
  if (/^map\[.*\]$/.test(shown)) return 'map';
  if (/^-?\d+$/.test(shown)) return 'int';
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(shown)) return 'duration';
  return 'string';
}

function defaultOf(shown: string): string {
  return /^'.*'$/.test(shown) ? shown.slice(1, -1) : shown;
}
