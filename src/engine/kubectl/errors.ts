import { StatusError } from '../api/status-error';
import { FlagError } from './argv';
import { CommandError, InterruptedError, RawError, UsageError } from './context';

/** The stderr text and exit code for an error, formatted like kubectl's CheckErr (reference §1.7). */
export function formatError(error: unknown, commandPath: string): { text: string; exitCode: number } {
  const withNewline = (text: string) => (text.endsWith('\n') ? text : text + '\n');
  if (error instanceof InterruptedError) return { text: '', exitCode: 130 };
  if (error instanceof FlagError)
    return { text: `error: ${error.message}\nSee '${commandPath} --help' for usage.\n`, exitCode: 1 };
  if (error instanceof UsageError)
    return { text: `error: ${error.message}\nSee '${commandPath} -h' for help and examples\n`, exitCode: 1 };
  if (error instanceof StatusError) return { text: withNewline(formatStatusError(error)), exitCode: 1 };
  if (error instanceof RawError) return { text: withNewline(error.message), exitCode: error.exitCode };
  if (error instanceof CommandError)
    return { text: withNewline(prefixError(error.message)), exitCode: error.exitCode };
  const message = error instanceof Error ? error.message : String(error);
  return { text: withNewline(prefixError(message)), exitCode: 1 };
}

function prefixError(message: string): string {
  return message.startsWith('error: ') ? message : `error: ${message}`;
}

/** `Error from server (<Reason>): <message>`, or kubectl's unwrapped form for Invalid. */
export function formatStatusError(error: StatusError): string {
  const { status } = error;
  if (status.reason === 'Invalid') {
    const details = status.details;
    const head =
      details?.name !== undefined && details.kind
        ? `The ${details.kind} "${details.name}" is invalid`
        : 'The request is invalid';
    const causes = details?.causes ?? [];
    if (causes.length === 0) return `${head}: ${status.message}`;
    const rendered = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    if (rendered.length === 1) return `${head}: ${rendered[0]}`;
    return `${head}: \n${rendered.map((r) => `* ${r}`).join('\n')}`;
  }
  return `Error from server (${status.reason}): ${status.message}`;
}
