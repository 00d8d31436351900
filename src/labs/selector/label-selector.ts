/**
 * Kubernetes label selectors (the `-l` syntax): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * joined by commas. Parsed at load time so a lab with a bad selector is rejected with its file and step, and
 * used to match objects when a check reads them from a list rather than from an API server.
 */

export type Requirement =
  | { key: string; op: 'equals' | 'notEquals'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesNotExist' };

export class LabelSelectorError extends Error {}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseLabelSelector(selector: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const text = part.trim();
    if (text === '') throw new LabelSelectorError(`bad label selector "${selector}": empty requirement`);
    requirements.push(parseRequirement(text, selector));
  }
  return requirements;
}

export function matchesLabelSelector(
  requirements: Requirement[],
  labels: Record<string, string> = {},
): boolean {
  return requirements.every((requirement) => {
    const has = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key];
    switch (requirement.op) {
      case 'equals':
        return has && value === requirement.value;
      case 'notEquals':
        return !has || value !== requirement.value;
      case 'in':
        return has && requirement.values.includes(value);
      case 'notin':
        return !has || !requirement.values.includes(value);
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
    }
  });
}

/** The selector string equivalent to a map of labels (a Service's spec.selector, a matchLabels block). */
export function selectorFromLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Commas separate requirements except inside the parentheses of `in (a,b)`. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth++;
    if (selector[i] === ')') depth--;
    if (selector[i] === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts;
}

function parseRequirement(text: string, selector: string): Requirement {
  const fail = (message: string): never => {
    throw new LabelSelectorError(`bad label selector "${selector}": ${message}`);
  };
  if (text.startsWith('!')) return { key: checkKey(text.slice(1).trim(), fail), op: 'doesNotExist' };

  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3].split(',').map((value) => checkValue(value.trim(), fail));
    return { key: checkKey(setMatch[1], fail), op: setMatch[2] as 'in' | 'notin', values };
  }

  const opMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (opMatch) {
    const op = opMatch[2] === '!=' ? 'notEquals' : 'equals';
    return { key: checkKey(opMatch[1], fail), op, value: checkValue(opMatch[3].trim(), fail) };
  }
  if (/[\s=!()]/.test(text)) fail(`cannot parse "${text}"`);
  return { key: checkKey(text, fail), op: 'exists' };
}

function checkKey(key: string, fail: (message: string) => never): string {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) fail(`invalid label key prefix "${prefix}"`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) fail(`invalid label key "${key}"`);
  return key;
}

function checkValue(value: string, fail: (message: string) => never): string {
  if (value.length > 63 || (value !== '' && !NAME.test(value))) fail(`invalid label value "${value}"`);
  return value;
}
