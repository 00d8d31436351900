import { Filter, parseFilter } from './filters';

export const NOT_AVAILABLE = 127;

/** A line that cannot run; nothing of it has run when this is thrown. */
export class RejectedLine extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type PreparedFilter = ReturnType<typeof parseFilter>;

/** Parses a filter stage (`grep -v x`) up front, so a bad option stops the line before anything runs. */
export function prepareFilter(argv: string[]): PreparedFilter {
  return parseFilter(argv[0], argv.slice(1));
}

/**
 * Runs `source`, streaming its stdout through the filters into `stdout`. The exit code is the last stage's, as in a
 * shell without pipefail.
 */
export async function runPipeline(
  stdout: (chunk: string) => void,
  filters: PreparedFilter[],
  source: (out: (chunk: string) => void) => Promise<number>,
): Promise<number> {
  for (const f of filters)
    if (f.file !== undefined)
      throw new RejectedLine(`a filter after a pipe reads the pipe; remove the file name '${f.file}'`, 2);
  let sink = stdout;
  const chain: Filter[] = [];
  for (let i = filters.length - 1; i >= 0; i--) {
    const filter = filters[i].factory(sink);
    chain.unshift(filter);
    sink = (chunk) => filter.write(chunk);
  }
  let code = await source(sink);
  for (const filter of chain) code = filter.end();
  return code;
}
