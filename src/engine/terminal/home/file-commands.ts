/**
 * `mkdir [-p]`, `rm [-r] [-f] [-d]`, `touch`, `cd`, `pwd` over the home, with GNU coreutils' and bash's messages and
 * exit statuses. Each operand is done on its own as coreutils does (one failing operand does not stop the others);
 * each change is one commit of the home, so a limit refuses it whole. `mv` and `cp` are in copy-move.ts.
 */
import { FileContext, parseOptions, reason, usage } from './file-context';
import { absolutePath, HomeEntry, homeError, HomePath } from './home-directory';

/** The entry an operand names, after its parents are checked; undefined when it does not exist. */
export function locate(ctx: FileContext, operand: string): HomePath & { entry: HomeEntry | undefined } {
  const path = ctx.home.resolve(operand, ctx.cwd);
  ctx.home.checkParents(path.key);
  const entry = ctx.home.stat(path.key);
  if (entry?.kind === 'file' && path.dirOnly) throw homeError('ENOTDIR');
  return { ...path, entry };
}

export function runMkdir(ctx: FileContext, args: string[]): number {
  const parsed = parseOptions(args, { p: 'parents', parents: 'parents' });
  if ('error' in parsed) return usage(ctx, 'mkdir', parsed.error);
  if (parsed.operands.length === 0) return usage(ctx, 'mkdir', 'missing operand');
  const parents = parsed.flags.has('parents');
  let code = 0;
  for (const operand of parsed.operands) {
    // The operand's path as written, up to each component, for -p's messages.
    let failedAt = operand;
    try {
      const { key } = ctx.home.resolve(operand, ctx.cwd);
      const changes = new Map<string, HomeEntry>();
      const mtime = ctx.home.mtimeNow();
      if (parents) {
        const parts = key.split('/');
        const written = operand.replace(/\/+$/, '').split('/');
        for (let i = 1; i <= parts.length; i++) {
          const prefix = parts.slice(0, i).join('/');
          failedAt = written.slice(0, written.length - (parts.length - i)).join('/') || operand;
          const entry = ctx.home.stat(prefix);
          if (entry?.kind === 'file') throw homeError(i === parts.length ? 'EEXIST' : 'ENOTDIR');
          if (!entry) changes.set(prefix, { kind: 'dir', mtime });
        }
        failedAt = operand;
      } else {
        ctx.home.checkParents(key);
        if (ctx.home.stat(key)) throw homeError('EEXIST');
        changes.set(key, { kind: 'dir', mtime });
      }
      ctx.home.commit(changes);
    } catch (error) {
      ctx.stderr(`mkdir: cannot create directory '${failedAt}': ${reason(error)}\n`);
      code = 1;
    }
  }
  return code;
}

export function runRm(ctx: FileContext, args: string[]): number {
  const parsed = parseOptions(args, {
    r: 'recursive',
    R: 'recursive',
    recursive: 'recursive',
    f: 'force',
    force: 'force',
    d: 'dir',
    dir: 'dir',
  });
  if ('error' in parsed) return usage(ctx, 'rm', parsed.error);
  const { flags, operands } = parsed;
  if (operands.length === 0) return flags.has('force') ? 0 : usage(ctx, 'rm', 'missing operand');
  let code = 0;
  for (const operand of operands) {
    const last = operand.replace(/\/+$/, '').split('/').pop();
    if (last === '.' || last === '..') {
      ctx.stderr(`rm: refusing to remove '.' or '..' directory: skipping '${operand}'\n`);
      code = 1;
      continue;
    }
    try {
      const { key, entry } = locate(ctx, operand);
      if (!entry) {
        if (flags.has('force')) continue;
        throw homeError('ENOENT');
      }
      if (entry.kind === 'dir') {
        const inside = ctx.home.descendants(key);
        if (!flags.has('recursive') && !(flags.has('dir') && inside.length === 0))
          throw homeError(flags.has('dir') ? 'ENOTEMPTY' : 'EISDIR');
        const changes = new Map<string, undefined>(inside.map((k) => [k, undefined]));
        // The home itself cannot go: /home belongs to root, so rmdir fails once its contents are gone.
        if (key !== '') changes.set(key, undefined);
        ctx.home.commit(changes);
        if (key === '') throw homeError('EACCES');
      } else ctx.home.commit(new Map([[key, undefined]]));
    } catch (error) {
      ctx.stderr(`rm: cannot remove '${operand}': ${reason(error)}\n`);
      code = 1;
    }
  }
  return code;
}

/** `touch FILE...`: creates empty files, or sets the modification time of existing ones to now. */
export function runTouch(ctx: FileContext, args: string[]): number {
  const parsed = parseOptions(args, { c: 'no-create', 'no-create': 'no-create' });
  if ('error' in parsed) return usage(ctx, 'touch', parsed.error);
  if (parsed.operands.length === 0) return usage(ctx, 'touch', 'missing file operand');
  let code = 0;
  for (const operand of parsed.operands) {
    try {
      const { key, entry, dirOnly } = locate(ctx, operand);
      if (!entry && parsed.flags.has('no-create')) continue;
      if (!entry && dirOnly) throw homeError('EISDIR');
      const mtime = ctx.home.mtimeNow();
      const next: HomeEntry =
        entry?.kind === 'dir'
          ? { kind: 'dir', mtime }
          : { kind: 'file', text: entry?.kind === 'file' ? entry.text : '', mtime };
      if (key === '') continue;
      ctx.home.commit(new Map([[key, next]]));
    } catch (error) {
      ctx.stderr(`touch: cannot touch '${operand}': ${reason(error)}\n`);
      code = 1;
    }
  }
  return code;
}

/** `cd [DIR]`, bash's builtin: no operand (or `~`) is the home; `-` the previous directory. Returns the new cwd. */
export function runCd(
  ctx: FileContext,
  args: string[],
  previous: string | undefined,
): { code: number; cwd?: string } {
  const operands = args[0] === '--' ? args.slice(1) : args;
  const option = operands.find((a) => a.startsWith('-') && a !== '-');
  if (option !== undefined && !['-L', '-P'].includes(option)) {
    ctx.stderr(`bash: cd: ${option.slice(0, 2)}: invalid option\ncd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n`);
    return { code: 2 };
  }
  const dirs = operands.filter((a) => !['-L', '-P'].includes(a));
  if (dirs.length > 1) {
    ctx.stderr('bash: cd: too many arguments\n');
    return { code: 1 };
  }
  let target = dirs[0] ?? '~';
  if (target === '-') {
    if (previous === undefined) {
      ctx.stderr('bash: cd: OLDPWD not set\n');
      return { code: 1 };
    }
    target = absolutePath(previous);
    ctx.stdout(`${target}\n`);
  }
  try {
    const { key, entry } = locate(ctx, target);
    if (!entry) throw homeError('ENOENT');
    if (entry.kind !== 'dir') throw homeError('ENOTDIR');
    return { code: 0, cwd: key };
  } catch (error) {
    ctx.stderr(`bash: cd: ${dirs[0] ?? target}: ${reason(error)}\n`);
    return { code: 1 };
  }
}

export function runPwd(ctx: FileContext, args: string[]): number {
  const option = args.find((a) => a.startsWith('-') && !['-L', '-P'].includes(a));
  if (option !== undefined) {
    ctx.stderr(`bash: pwd: ${option.slice(0, 2)}: invalid option\npwd: usage: pwd [-LP]\n`);
    return 2;
  }
  ctx.stdout(`${absolutePath(ctx.cwd)}\n`);
  return 0;
}

/** The text of a file operand for `cat`, `head`, `diff`...: throws the HomeError the command reports. */
export function readOperand(ctx: FileContext, operand: string): string {
  return ctx.home.readFile(operand, ctx.cwd);
}
