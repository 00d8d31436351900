/**
 * The text `kubectl edit` gives the editor and how it reads it back (kubectl's cmd/util/editor/editoptions.go and
 * cmdutil.StripComments): the header comment block with the reasons of the last failed save, the object printed as
 * YAML or JSON, Windows line endings on request, and the comparisons that ignore comments.
 */
import { parseDocument } from 'yaml';

/** Why the buffer is reopened: a head line and, for an invalid object, one line per cause. */
export interface EditReason {
  head: string;
  causes: string[];
}

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

/** editHeader.writeTo: the fixed lines, then each reason (`# head:` and `# * cause` lines) closed by `#`. */
export function editHeader(reasons: readonly EditReason[]): string {
  let text = HEADER;
  for (const reason of reasons) {
    text += `# ${hashOnLineBreak(reason.head)}${reason.causes.length > 0 ? ':' : ''}\n`;
    for (const cause of reason.causes) text += `# * ${hashOnLineBreak(cause)}\n`;
    text += '#\n';
  }
  return text;
}

/** A line break inside a reason starts a comment line again (unless the next line already is one). */
function hashOnLineBreak(text: string): string {
  return text.replace(/\n(?!#|$)/g, '\n# ');
}

/** crlf.NewCRLFWriter: every `\n` written becomes `\r\n`. */
export function withWindowsLineEndings(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

/** ManualStrip: the lines that are not comments (`#!` is kept), as kubectl drops them from a broken file. */
export function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((line) => {
      const trimmed = line.trim();
      return !(trimmed.startsWith('#') && !trimmed.startsWith('#!'));
    })
    .join('\n');
}

/**
 * StripComments: the first YAML document as JSON (so comments and layout do not count), or the manual strip when
 * the text is not YAML. Only ever compared with another stripped text.
 */
export function stripComments(text: string): string {
  const parsed = parseYaml(text);
  return 'error' in parsed ? `!${manualStrip(text)}` : JSON.stringify(parsed.value ?? null);
}

/** The first document of `text` as a JSON value, or why it is not YAML (go-yaml's `yaml: ...` wording). */
export function parseYaml(text: string): { value: unknown } | { error: string } {
  const doc = parseDocument(text.replace(/\r\n/g, '\n'), { uniqueKeys: false });
  if (doc.errors.length > 0) return { error: `yaml: ${doc.errors[0].message.split('\n')[0]}` };
  return { value: doc.toJSON() as unknown };
}

/**
 * The client-side check kubectl runs on the saved text before anything else (validation.paramVerifyingSchema's
 * parse and getObjectKind): the reason it fails, or undefined.
 */
export function editedFileProblem(text: string): string | undefined {
  const parsed = parseYaml(text);
  if ('error' in parsed) return parsed.error;
  const fields = parsed.value;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    return 'invalid object to validate';
  const { apiVersion, kind } = fields as { apiVersion?: unknown; kind?: unknown };
  const problems: string[] = [];
  if (apiVersion === undefined || apiVersion === null) problems.push('apiVersion not set');
  else if (typeof apiVersion !== 'string') problems.push("apiVersion isn't string type");
  else if (apiVersion.split('/').length > 2) problems.push(`unexpected GroupVersion string: ${apiVersion}`);
  if (kind === undefined || kind === null) problems.push('kind not set');
  else if (typeof kind !== 'string') problems.push("kind isn't string type");
  // utilerrors.NewAggregate: one error alone, several in brackets.
  if (problems.length === 0) return undefined;
  return problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
}

/** hasLines: whether any line holds something other than blanks and comments. */
export function hasContent(text: string): boolean {
  return text.split('\n').some((line) => {
    const trimmed = line.trim();
    return trimmed.length > 0 && trimmed[0] !== '#';
  });
}
