/**
 * Standard input for a run: what the student types while a command reads (`read`, `cat`, `kubectl apply -f -`,
 * the rest of an open here-document), a here-document's body, or the output of the stage before a pipe.
 */
export interface InputSource {
  /** One line without its newline; null at end of input. Rejects with an AbortError when `signal` aborts. */
  readLine(signal?: AbortSignal): Promise<string | null>;
}

/** No input at all: what a program sees when the run has no stdin (and a background job always). */
export const NO_INPUT: InputSource = { readLine: () => Promise.resolve(null) };

/** Input that is already known: a here-document body or a buffered pipe. A last line without `\n` still counts. */
export function textInput(text: string): InputSource {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let next = 0;
  return {
    readLine: (signal) => {
      if (signal?.aborted) return Promise.reject(abortError());
      return Promise.resolve(next < lines.length ? lines[next++] : null);
    },
  };
}

/** Everything up to the end of input, each line ended by `\n` (how `apply -f -` and pipes read it). */
export async function readAll(source: InputSource, signal?: AbortSignal): Promise<string> {
  let text = '';
  for (let line = await source.readLine(signal); line !== null; line = await source.readLine(signal))
    text += `${line}\n`;
  return text;
}

export function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
