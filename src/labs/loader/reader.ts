/**
 * A cursor over parsed YAML that records precise problems instead of throwing, so one load reports every
 * mistake in a lab file at once, each with the file, the step and the field path
 * (`labs/x/lab.yaml: step "scale" checks[1].count: expected a non-negative integer`).
 */
import { LANGUAGES, Localized } from '../format/types';

export type PathPart = string | number;

export interface LabIssue {
  file: string;
  /** e.g. `step "scale"`, `diagnostic "image-pull"`; absent for lab-level fields. */
  scope?: string;
  /** Field path inside the scope, e.g. `checks[1].count`. */
  path: string;
  message: string;
  line?: number;
}

export function formatIssue(issue: LabIssue): string {
  const where = [issue.scope, issue.path].filter((part) => part !== undefined && part !== '').join(' ');
  const line = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return `${issue.file}: ${where ? `${where}: ` : ''}${issue.message}${line}`;
}

export class LabLoadError extends Error {
  constructor(readonly issues: LabIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'LabLoadError';
  }
}

/** Shared by every cursor of one file: where issues go and how to find a line number. */
export interface ReadSession {
  file: string;
  issues: LabIssue[];
  lineOf(absolutePath: PathPart[]): number | undefined;
}

export class Cursor {
  constructor(
    readonly value: unknown,
    private readonly session: ReadSession,
    private readonly absolutePath: PathPart[] = [],
    private readonly relativePath: PathPart[] = [],
    private readonly scope?: string,
  ) {}

  get file(): string {
    return this.session.file;
  }

  child(key: PathPart): Cursor {
    const value = isMapping(this.value) || Array.isArray(this.value) ? (this.value as never)[key] : undefined;
    return new Cursor(
      value,
      this.session,
      [...this.absolutePath, key],
      [...this.relativePath, key],
      this.scope,
    );
  }

  /** Starts a new scope (a step, a diagnostic): paths in messages restart from here. */
  scoped(scope: string): Cursor {
    return new Cursor(this.value, this.session, this.absolutePath, [], scope);
  }

  has(key: string): boolean {
    return isMapping(this.value) && this.value[key] !== undefined;
  }

  /** Records a problem; a field gets one message (the first), e.g. "is required" but not also "expected...". */
  report(message: string): undefined {
    const path = renderPath(this.relativePath);
    const { file, issues } = this.session;
    if (issues.some((issue) => issue.file === file && issue.scope === this.scope && issue.path === path)) {
      return undefined;
    }
    issues.push({ file, scope: this.scope, path, message, line: this.lineOfNearest() });
    return undefined;
  }

  /** A mapping whose keys are all known; unknown keys are reported, required ones must be present. */
  mapping(allowed: readonly string[], required: readonly string[] = []): boolean {
    if (!isMapping(this.value)) {
      this.report(`expected a mapping with ${describeKeys(required.length ? required : allowed)}`);
      return false;
    }
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) this.child(key).report(`unknown key (allowed: ${allowed.join(', ')})`);
    }
    for (const key of required) {
      if (this.value[key] === undefined) this.child(key).report('is required');
    }
    return true;
  }

  string(options: { optional?: boolean } = {}): string | undefined {
    if (this.value === undefined && options.optional) return undefined;
    if (typeof this.value !== 'string' || this.value.trim() === '')
      return this.report('expected a non-empty string');
    return this.value;
  }

  /** Strings written as plain YAML scalars that YAML turned into numbers or booleans are accepted as text. */
  scalarText(): string | undefined {
    if (typeof this.value === 'number' || typeof this.value === 'boolean') return String(this.value);
    return this.string();
  }

  integer(minimum: number, options: { optional?: boolean } = {}): number | undefined {
    if (this.value === undefined && options.optional) return undefined;
    if (typeof this.value !== 'number' || !Number.isInteger(this.value) || this.value < minimum) {
      return this.report(
        minimum === 0 ? 'expected a non-negative integer' : `expected an integer >= ${minimum}`,
      );
    }
    return this.value;
  }

  number(): number | undefined {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value))
      return this.report('expected a number');
    return this.value;
  }

  boolean(): boolean | undefined {
    if (typeof this.value !== 'boolean') return this.report('expected true or false');
    return this.value;
  }

  /** The items of a list, each as a cursor; `minimum` items are required. */
  list(minimum = 0, options: { optional?: boolean } = {}): Cursor[] {
    if (this.value === undefined && options.optional) return [];
    if (!Array.isArray(this.value)) {
      this.report('expected a list');
      return [];
    }
    if (this.value.length < minimum)
      this.report(`expected at least ${minimum} item${minimum === 1 ? '' : 's'}`);
    return this.value.map((_item, index) => this.child(index));
  }

  /** `{ zh-CN: ..., en: ... }` with both translations present and non-empty. */
  localized(): Localized | undefined {
    if (!this.mapping(LANGUAGES, [])) return undefined;
    const result: Partial<Localized> = {};
    for (const language of LANGUAGES) {
      const child = this.child(language);
      if (child.value === undefined) child.report('missing translation');
      else result[language] = child.string();
    }
    return LANGUAGES.every((language) => result[language] !== undefined) ? (result as Localized) : undefined;
  }

  private lineOfNearest(): number | undefined {
    for (let length = this.absolutePath.length; length >= 0; length--) {
      const line = this.session.lineOf(this.absolutePath.slice(0, length));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderPath(path: PathPart[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}

function describeKeys(keys: readonly string[]): string {
  return keys.length === 1 ? `key ${keys[0]}` : `keys ${keys.join(', ')}`;
}
