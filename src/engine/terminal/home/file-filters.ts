/**
 * grep, wc, head and tail reading files of the home (`grep -n image web.yaml`, `wc -l *.yaml`, `head -3 a b`): the
 * pipe filters of filters.ts fed file by file, with what each tool adds for several files (grep's `FILE:` prefix,
 * wc's `total` line, head and tail's `==> FILE <==` headers) and its message and status for a missing file.
 */
import type { ParsedFilter } from '../filters';
import { FileContext, reason } from './file-context';
import { byteLength } from './home-directory';

export function runFilterFiles(ctx: FileContext, name: string, filter: ParsedFilter): number {
  const texts: ({ name: string; text: string } | { name: string; error: unknown })[] = filter.files.map(
    (file) => {
      try {
        return { name: file, text: ctx.home.readFile(file, ctx.cwd) };
      } catch (error) {
        return { name: file, error };
      }
    },
  );
  const several = filter.files.length > 1;
  let failed = false;
  let code = name === 'grep' ? 1 : 0;
  const readable = texts.filter((t): t is { name: string; text: string } => 'text' in t);
  const width = String(readable.reduce((sum, t) => sum + byteLength(t.text), 0)).length;
  const totals: number[] = [];
  let headed = 0;
  for (const entry of texts) {
    if ('error' in entry) {
      failed = true;
      const text = reason(entry.error);
      if (name === 'grep' || name === 'wc') ctx.stderr(`${name}: ${entry.name}: ${text}\n`);
      else if (text === 'Is a directory') ctx.stderr(`${name}: error reading '${entry.name}': ${text}\n`);
      else ctx.stderr(`${name}: cannot open '${entry.name}' for reading: ${text}\n`);
      continue;
    }
    if ((name === 'head' || name === 'tail') && several)
      ctx.stdout(`${headed++ > 0 ? '\n' : ''}==> ${entry.name} <==\n`);
    let out = '';
    const instance = filter.factory(
      (chunk) => (out += chunk),
      name === 'wc' || (name === 'grep' && several) ? { label: entry.name, width } : undefined,
    );
    instance.write(entry.text);
    const status = instance.end();
    if (name === 'grep' && status === 0) code = 0;
    if (name === 'wc')
      totals.push(
        ...out
          .slice(0, out.length - entry.name.length - 2)
          .trim()
          .split(/\s+/)
          .map(Number),
      );
    ctx.stdout(out);
  }
  if (name === 'wc' && several) {
    const columns = totals.length / Math.max(readable.length, 1);
    const sums = Array.from({ length: columns }, (_, c) =>
      totals.filter((_, i) => i % columns === c).reduce((a, b) => a + b, 0),
    );
    ctx.stdout(`${sums.map((v) => String(v).padStart(width)).join(' ')} total\n`);
  }
  if (!failed) return code;
  // grep -q with a match succeeds despite an unreadable file; otherwise trouble is 2 for grep, 1 for the others.
  return name === 'grep' ? (code === 0 && filter.quiet ? 0 : 2) : 1;
}
