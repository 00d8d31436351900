/**
 * {{name}} placeholders: lab strings refer to fixed or captured values (vars) this way. The braces never
 * collide with shell syntax in commands (`$(minikube ip)`, `${POD}`) or with regex syntax.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/** Replaces every placeholder through `valueOf`; `escape` adapts the value to the context (e.g. a regex). */
export function fillPlaceholders(
  text: string,
  valueOf: (name: string) => string,
  escape: (value: string) => string = (value) => value,
): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => escape(valueOf(name)));
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
