/**
 * `kubectl explain RESOURCE[.FIELD...]`: kubectl's OpenAPI v3 plaintext template (explain/v2 plaintext.tmpl)
 * rendered over the very document `engine serve` publishes for the resource's group-version (http/openapi.ts),
 * so the built-in and real kubectl explain the same schema the same way.
 */
import { kindDefinitionName, openApiV3GroupVersion } from '../../http/openapi';
import { servedGroups } from '../../http/discovery';
import { CommandDef, flag } from '../command';
import { CommandError, RawError } from '../context';

type Schema = Record<string, unknown>;
type Defs = Record<string, Schema>;

const REF = '#/components/schemas/';

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(schema: Schema, defs: Defs): Schema {
  const ref = schema.$ref;
  return (typeof ref === 'string' && defs[ref.slice(REF.length)]) || schema;
}

/** An `additionalProperties` that is a schema (not the boolean form). */
const mapValue = (s: Schema): Schema | undefined =>
  isSchema(s.additionalProperties) ? s.additionalProperties : undefined;

/** The template's typeGuess: `string`, `Object`, `[]Container`, `map[string]string`, a referenced kind's name. */
function typeGuess(schema: Schema, defs: Defs): string {
  if (isSchema(schema.items)) return `[]${typeGuess(schema.items, defs)}`;
  const value = mapValue(schema);
  if (value) return `map[string]${typeGuess(value, defs)}`;
  const allOf = Array.isArray(schema.allOf) ? (schema.allOf as Schema[]) : [];
  if (allOf.length === 1 && !schema.properties) return typeGuess(allOf[0], defs);
  if (typeof schema.$ref === 'string') {
    const target = defs[schema.$ref.slice(REF.length)];
    if (!target || !target.type || target.type === 'object')
      return schema.$ref.split('/').pop()!.split('.').pop() || 'Object';
    return String(target.type);
  }
  if (schema.type === 'object') return 'Object';
  return typeof schema.type === 'string' && schema.type ? schema.type : 'Object';
}

/** The "description" template: the schema's own text, then its allOf members', items' and map values'. */
function description(schema: Schema, defs: Defs): string {
  const s = resolve(schema, defs);
  let out = typeof s.description === 'string' && s.description ? `${s.description}\n` : '';
  for (const member of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : []) out += description(member, defs);
  if (isSchema(s.items)) out += description(s.items, defs);
  const value = mapValue(s);
  if (value) out += description(value, defs);
  return out;
}

/** mitchellh/go-wordwrap WrapString (sprig's `wrap`): greedy, never breaking a word, keeping runs of spaces. */
export function wrap(text: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const char of text) {
    if (char === '\n') {
      if (word === '') {
        if (current + space.length <= limit) out += space;
      } else out += space + word;
      out += '\n';
      current = 0;
      word = '';
      space = '';
    } else if (/\s/.test(char) && char !== '\u00a0') {
      if (space === '' || word !== '') {
        current += [...space].length + [...word].length;
        out += space + word;
        space = '';
        word = '';
      }
      space += char;
    } else {
      word += char;
      const wordLength = [...word].length;
      if (current + [...space].length + wordLength > limit && wordLength < limit) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word === '') {
    if (current + space.length <= limit) out += space;
  } else out += space + word;
  return out;
}

/** sprig's `indent`: every line, the last one too, after `n` spaces. */
const indent = (text: string, n: number) => ' '.repeat(n) + text.split('\n').join(`\n${' '.repeat(n)}`);

/**
 * The "fieldList" template: `name\t<type>[ -required-]` indented two spaces per level, then either its description
 * and a blank line, or (`--recursive`) the fields of its own schema one level deeper. A $ref already on the way
 * down is not entered again (cycles end there).
 */
function fieldList(schema: Schema, defs: Defs, seen: Set<string>, level: number, recursive: boolean): string {
  const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
  if (ref && seen.has(ref)) return '';
  const next = new Set(seen).add(ref);
  const s = resolve(schema, defs);
  let out = '';
  const properties = isSchema(s.properties) ? (s.properties as Record<string, Schema>) : {};
  const required = Array.isArray(s.required) ? (s.required as string[]) : [];
  const pad = level * 2;
  for (const name of Object.keys(properties).sort()) {
    const field = properties[name];
    out += `${' '.repeat(pad)}${name}\t<${typeGuess(field, defs)}>${required.includes(name) ? ' -required-' : ''}\n`;
    if (recursive) {
      out += fieldList(field, defs, next, level + 1, recursive);
      continue;
    }
    const text =
      typeof field.description === 'string' && field.description ? field.description : '<no description>';
    out += `${indent(wrap(text, 78 - pad), pad + 2)}\n\n`;
  }
  for (const member of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : [])
    out += fieldList(member, defs, next, level, recursive);
  if (isSchema(s.items)) out += fieldList(s.items, defs, next, level, recursive);
  const value = mapValue(s);
  if (value) out += fieldList(value, defs, next, level, recursive);
  return out;
}

/** The "output" template: follows the field path, then prints FIELD/DESCRIPTION/FIELDS; '' if the path is not there. */
function output(schema: Schema, path: string[], defs: Defs, seen: Set<string>, recursive: boolean): string {
  const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
  const s = resolve(schema, defs);
  if (path.length === 0) {
    let out = `DESCRIPTION:\n${indent(wrap(description(s, defs) || '<empty>', 76), 4)}\n`;
    const fields = fieldList(s, defs, new Set(), 1, recursive);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (ref && seen.has(ref)) return '';
  const next = new Set(seen).add(ref);
  const properties = isSchema(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
  if (properties && isSchema(properties[path[0]])) {
    const sub = properties[path[0]];
    const head = path.length === 1 ? `FIELD: ${path[0]} <${typeGuess(sub, defs)}>\n\n\n` : '';
    return head + output(sub, path.slice(1), defs, new Set(), recursive);
  }
  if (isSchema(s.items)) return output(s.items, path, defs, next, recursive);
  const value = mapValue(s);
  if (value) return output(value, path, defs, next, recursive);
  for (const member of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : []) {
    const out = output(member, path, defs, next, recursive);
    if (out) return out;
  }
  return '';
}

/** apimachinery's ParseGroupVersion: `v1` is the core group, `group/version` a named one, anything else an error. */
function parseGroupVersion(text: string): { group: string; version: string } {
  const parts = text.split('/');
  if (parts.length === 1) return { group: '', version: text };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new CommandError(`unexpected GroupVersion string: ${text}`);
}

export const explainCommand: CommandDef = {
  path: ['explain'],
  short: 'Get documentation for a resource',
  usage:
    'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]',
  flags: [
    flag.string('api-version', undefined, '', 'Use given api-version (group/version) of the resource.'),
    flag.bool(
      'recursive',
      undefined,
      false,
      'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.',
    ),
  ],
  run(ctx, args) {
    if (args.positional.length === 0)
      throw new CommandError(
        'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.',
      );
    if (args.positional.length > 1) throw new CommandError('We accept only this format: explain RESOURCE');
    const [resource, ...path] = args.positional[0].split('.');
    const info = ctx.cluster.api.resourceFor(resource);
    if (!info) throw new RawError(`the server doesn't have a resource type "${resource}"`);
    // --api-version picks the group-version whose document is read (kubectl replaces the mapped GVR's group and
    // version with it); the resource must have a path there.
    const apiVersion = args.flags['api-version'] as string;
    const gv = apiVersion ? parseGroupVersion(apiVersion) : { group: info.group, version: info.version };
    const gvr = `${gv.group}/${gv.version}, Resource=${info.resource}`;
    const served = servedGroups().find((g) => g.group === gv.group && g.version === gv.version);
    if (!served) throw new CommandError(`couldn't find resource for "${gvr}"`);
    const kind = served.resources.find((r) => r.resource === info.resource);
    if (!kind) throw new CommandError(`GVR (${gvr}) not found in OpenAPI schema`);
    const doc = openApiV3GroupVersion(kind.group, kind.version) as
      { components?: { schemas?: Defs } } | undefined;
    const defs = doc?.components?.schemas ?? {};
    const root = defs[kindDefinitionName(kind)];
    let out = kind.group ? `GROUP:      ${kind.group}\n` : '';
    out += `KIND:       ${kind.kind}\nVERSION:    ${kind.version}\n\n`;
    const body = root ? output(root, path, defs, new Set(), args.flags.recursive as boolean) : '';
    if (!body) {
      // The template has written the header by the time it fails.
      ctx.stdout(out);
      if (!root)
        throw new CommandError(
          `GVK ${kind.group}/${kind.version}, Kind=${kind.kind} not found in OpenAPI schema`,
        );
      throw new CommandError(`field "${path[path.length - 1]}" does not exist`);
    }
    ctx.stdout(`${out}${body}\n`);
    return 0;
  },
};
