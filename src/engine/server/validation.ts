/**
 * Name and label validation with apimachinery's exact message texts (reference §1.8), rendered as field errors
 * (`<field>: Invalid value: "<v>": <msg>`) that StatusError Invalid aggregates.
 */
import type { StatusCause } from '../api/status-error';

const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** apimachinery RegexError: `<msg> (e.g. 'ex1',  or 'ex2', regex used for validation is '<re>')`. */
export function regexError(msg: string, regex: string, examples: string[]): string {
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${regex}')`;
}

export const DNS1123_SUBDOMAIN_MSG = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*',
  ['example.com'],
);
export const DNS1123_LABEL_MSG = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  '[a-z0-9]([-a-z0-9]*[a-z0-9])?',
  ['my-name', '123-abc'],
);
export const DNS1035_LABEL_MSG = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  '[a-z]([-a-z0-9]*[a-z0-9])?',
  ['my-name', 'abc-123'],
);
export const LABEL_VALUE_MSG = regexError(
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?',
  ['MyValue', 'my_value', '12345'],
);
const QUALIFIED_NAME_MSG = regexError(
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]',
  ['MyName', 'my.name', '123-abc'],
);

const maxLen = (n: number) => `must be no more than ${n} characters`;

export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLen(253));
  if (!SUBDOMAIN_RE.test(value)) errs.push(DNS1123_SUBDOMAIN_MSG);
  return errs;
}

export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!LABEL_RE.test(value))
    errs.push(SUBDOMAIN_RE.test(value) ? 'must not contain dots' : DNS1123_LABEL_MSG);
  return errs;
}

export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!DNS1035_RE.test(value)) errs.push(DNS1035_LABEL_MSG);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLen(63));
  if (!LABEL_VALUE_RE.test(value)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

/** Keys already found valid: every object written carries the same few label and annotation keys. */
const VALID_QUALIFIED_NAMES = new Set<string>();

/** Label keys: `[prefix/]name`, prefix a DNS subdomain, name a qualified name (apimachinery IsQualifiedName). */
export function isQualifiedName(value: string): string[] {
  if (VALID_QUALIFIED_NAMES.has(value)) return [];
  const errs = qualifiedNameErrors(value);
  if (errs.length === 0) {
    if (VALID_QUALIFIED_NAMES.size >= 4096) VALID_QUALIFIED_NAMES.clear();
    VALID_QUALIFIED_NAMES.add(value);
  }
  return errs;
}

function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of isDns1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else if (parts.length > 2) {
    return [
      regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]',
        ['MyName', 'my.name', '123-abc'],
      ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  // apimachinery checks the pattern even on an empty name (both messages then appear).
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(QUALIFIED_NAME_MSG);
  return errs;
}

/** IsValidPortName (an IANA_SVC_NAME): the messages in the order the real check appends them. */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-')))
    errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Go's %q for the simple strings names are made of. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function invalidValue(field: string, value: string | number, msg: string): StatusCause {
  const shown = typeof value === 'number' ? String(value) : quote(value);
  return { field, message: `Invalid value: ${shown}: ${msg}` };
}

export function required(field: string, detail = ''): StatusCause {
  return { field, message: detail ? `Required value: ${detail}` : 'Required value' };
}

export function unsupported(field: string, value: string, supported: string[]): StatusCause {
  return {
    field,
    message: `Unsupported value: ${quote(value)}: supported values: ${supported.map(quote).join(', ')}`,
  };
}

export function validateName(field: string, name: string, rule: (v: string) => string[]): StatusCause[] {
  return rule(name).map((msg) => invalidValue(field, name, msg));
}

export function validateLabels(field: string, labels: Record<string, string> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  // for-in, not Object.entries: every object written is validated, and the pairs were garbage (plain JSON maps).
  for (const key in labels) {
    const value = labels[key];
    for (const msg of isQualifiedName(key)) causes.push(invalidValue(field, key, msg));
    for (const msg of isValidLabelValue(value)) causes.push(invalidValue(field, value, msg));
  }
  return causes;
}

export function validateAnnotations(
  field: string,
  annotations: Record<string, string> | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  let size = 0;
  for (const key in annotations) {
    const value = annotations[key];
    for (const msg of isQualifiedName(key.toLowerCase())) causes.push(invalidValue(field, key, msg));
    size += utf8Length(key) + utf8Length(value);
  }
  // apimachinery ValidateAnnotationsSize: keys and values together, in bytes (field.TooLong).
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT)
    causes.push({ field, message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  return causes;
}

/** apimachinery's TotalAnnotationSizeLimitB: 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
