/**
 * OpenAPI documents (/openapi/v2, /openapi/v3 and its group-version documents) for the kinds the engine serves.
 * The schemas, with their field descriptions (`kubectl explain`), are generated on first use from the Kubernetes
 * v1.30 type declarations of the installed `kubernetes-types` package; nothing is pasted into the repository.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { ResourceInfo } from '../api/resources';
import { servedGroups } from './discovery';

type Schema = Record<string, unknown>;

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Where a declaration file's types live in the OpenAPI name space. */
function packageOf(file: string): string {
  const rel = file
    .replace(/\.d\.ts$/, '')
    .split(path.sep)
    .join('/');
  if (rel === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (rel === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (rel === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (rel === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (rel.startsWith('apiextensions/'))
    return `io.k8s.apiextensions-apiserver.pkg.apis.${rel.replace('/', '.')}`;
  return `io.k8s.api.${rel.replace('/', '.')}`;
}

function jsDoc(node: ts.Node): string {
  const docs = (node as ts.Node & { jsDoc?: ts.JSDoc[] }).jsDoc;
  if (!docs?.length) return '';
  const comment = docs[docs.length - 1].comment;
  const text = typeof comment === 'string' ? comment : (comment ?? []).map((c) => c.text).join('');
  return text.trim();
}

/** Every type of kubernetes-types, by OpenAPI definition name. */
function loadDefinitions(): Map<string, Schema> {
  const root = path.dirname(require.resolve('kubernetes-types/package.json'));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.d.ts')) files.push(path.relative(root, full));
    }
  };
  walk(root);
  const defs = new Map<string, Schema>();
  defs.set(INT_OR_STRING, {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  });
  for (const file of files) {
    const pkg = packageOf(file);
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(root, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    // Imported names resolve to the package of the file they come from.
    const imports = new Map<string, string>();
    for (const stmt of source.statements) {
      if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
      const from = path.normalize(path.join(path.dirname(file), stmt.moduleSpecifier.text)) + '.d.ts';
      const bindings = stmt.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const el of bindings.elements) imports.set(el.name.text, `${packageOf(from)}.${el.name.text}`);
    }
    const refName = (name: string) => imports.get(name) ?? `${pkg}.${name}`;
    const typeSchema = (node: ts.TypeNode | undefined): Schema => {
      if (!node) return {};
      if (node.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
      if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: 'integer', format: 'int32' };
      if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
      if (ts.isLiteralTypeNode(node)) return { type: 'string' };
      if (ts.isUnionTypeNode(node)) {
        const kinds = node.types.map((t) => t.kind);
        if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword))
          return { $ref: INT_OR_STRING };
        return typeSchema(node.types[0]);
      }
      if (ts.isTypeLiteralNode(node)) {
        const index = node.members.find(ts.isIndexSignatureDeclaration);
        return { type: 'object', additionalProperties: typeSchema(index?.type) };
      }
      if (ts.isArrayTypeNode(node)) return { type: 'array', items: typeSchema(node.elementType) };
      if (ts.isTypeReferenceNode(node)) {
        const name = node.typeName.getText(source);
        if (name === 'Array') return { type: 'array', items: typeSchema(node.typeArguments?.[0]) };
        return { $ref: refName(name) };
      }
      return {};
    };
    for (const stmt of source.statements) {
      if (ts.isInterfaceDeclaration(stmt)) {
        const properties: Record<string, Schema> = {};
        const required: string[] = [];
        for (const member of stmt.members) {
          if (!ts.isPropertySignature(member)) continue;
          const name = member.name.getText(source).replace(/^["']|["']$/g, '');
          const schema = typeSchema(member.type);
          const description = jsDoc(member);
          properties[name] = description ? { ...schema, description } : schema;
          if (!member.questionToken) required.push(name);
        }
        const def: Schema = { description: jsDoc(stmt), type: 'object', properties };
        if (required.length) def.required = required;
        defs.set(`${pkg}.${stmt.name.text}`, def);
      } else if (ts.isTypeAliasDeclaration(stmt)) {
        const schema = typeSchema(stmt.type);
        const name = stmt.name.text;
        if (name === 'Time' || name === 'MicroTime') schema.format = 'date-time';
        defs.set(`${pkg}.${name}`, { description: jsDoc(stmt), ...schema });
      }
    }
  }
  // The Go types serialise these as opaque JSON objects.
  for (const opaque of [
    'io.k8s.apimachinery.pkg.runtime.RawExtension',
    'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  ])
    if (defs.has(opaque)) defs.set(opaque, { description: defs.get(opaque)!.description, type: 'object' });
  addInlinedRuleFields(defs);
  return defs;
}

/**
 * The admission rules embed Go's `Rule` struct inline (`json:",inline"`), and kubernetes-types 1.30 drops the two
 * fields only that struct declares, `resources` and `scope`: without them every webhook configuration naming its
 * resources would be refused as having an unknown field. The descriptions are ours (the package has none to load).
 */
function addInlinedRuleFields(defs: Map<string, Schema>): void {
  const inlined: Record<string, Schema> = {
    resources: {
      type: 'array',
      items: { type: 'string' },
      description:
        "Resources is the list of resources the rule applies to, written as the resource's plural name, " +
        "optionally followed by '/' and a subresource ('pods', 'pods/status', 'pods/*', '*/scale', '*'). " +
        'Required.',
    },
    scope: {
      type: 'string',
      description:
        'Scope says whether the rule matches cluster-scoped resources ("Cluster"), namespaced resources ' +
        '("Namespaced") or both ("*", the default).',
    },
  };
  for (const version of ['v1', 'v1beta1', 'v1alpha1'])
    for (const kind of ['RuleWithOperations', 'NamedRuleWithOperations']) {
      const def = defs.get(`io.k8s.api.admissionregistration.${version}.${kind}`);
      const properties = def?.properties as Record<string, Schema> | undefined;
      if (properties) for (const [name, schema] of Object.entries(inlined)) properties[name] ??= schema;
    }
}

let definitions: Map<string, Schema> | undefined;
function allDefinitions(): Map<string, Schema> {
  definitions ??= loadDefinitions();
  return definitions;
}

/** Every OpenAPI definition, by name (the protobuf schema generator reads JSON field names from them). */
export function openApiDefinitions(): ReadonlyMap<string, Schema> {
  return allDefinitions();
}

export function kindDefinitionName(info: ResourceInfo): string {
  const group = info.group === '' ? 'core' : info.group.split('.')[0];
  // CustomResourceDefinitions are apiextensions-apiserver's own types (packageOf names them the same way).
  if (group === 'apiextensions')
    return `io.k8s.apiextensions-apiserver.pkg.apis.${group}.${info.version}.${info.kind}`;
  return `io.k8s.api.${group}.${info.version}.${info.kind}`;
}

/** The definitions reachable from the given kinds, with refs written for v2 or v3. */
function closure(kinds: ResourceInfo[], refPrefix: string): Record<string, Schema> {
  const defs = allDefinitions();
  const out: Record<string, Schema> = {};
  const rewrite = (schema: unknown, parentDescribed: boolean): unknown => {
    if (Array.isArray(schema)) return schema.map((s) => rewrite(s, false));
    if (typeof schema !== 'object' || schema === null) return schema;
    const s = schema as Schema;
    if (typeof s.$ref === 'string') {
      visit(s.$ref);
      const ref = { $ref: refPrefix + s.$ref };
      if (refPrefix === V3_REF && (s.description !== undefined || parentDescribed)) {
        const { $ref: _r, ...rest } = s;
        return { ...rest, allOf: [ref] };
      }
      const { $ref: _r, description, ...rest } = s;
      return refPrefix === V2_REF
        ? { ...ref, ...(description ? { description } : {}), ...rest }
        : { ...ref, ...rest };
    }
    const copy: Schema = {};
    for (const [key, value] of Object.entries(s))
      copy[key] =
        key === 'properties'
          ? mapValues(value as Record<string, Schema>, (v) => rewrite(v, true))
          : rewrite(value, false);
    return copy;
  };
  const visit = (name: string) => {
    if (name in out) return;
    const def = defs.get(name);
    out[name] = {};
    out[name] = def ? (rewrite(def, false) as Schema) : { type: 'object' };
  };
  for (const info of kinds) {
    const name = kindDefinitionName(info);
    visit(name);
    out[name] = {
      ...out[name],
      'x-kubernetes-group-version-kind': [{ group: info.group, kind: info.kind, version: info.version }],
    };
  }
  return out;
}

function mapValues<T, U>(obj: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const QUERY = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

/** Operations kubectl looks at: each kind's PATCH (and POST/PUT) take `fieldValidation`, `dryRun`, `fieldManager`. */
function paths(kinds: ResourceInfo[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const info of kinds) {
    const base = `/${gvPath(info.group, info.version)}/${info.namespaced ? 'namespaces/{namespace}/' : ''}${info.resource}`;
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    const ref = { $ref: V3_REF + kindDefinitionName(info) };
    const params = [
      QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
      QUERY(
        'fieldManager',
        'fieldManager is a name associated with the actor or entity that is making these changes.',
      ),
      QUERY(
        'fieldValidation',
        'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
      ),
    ];
    const op = (action: string, withBody: boolean) => ({
      operationId: `${action}${info.kind}`,
      ...(withBody ? { requestBody: { content: { '*/*': { schema: ref } }, required: true } } : {}),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...(withBody ? { parameters: params } : {}),
    });
    out[base] = { post: op('post', true), get: op('list', false) };
    out[`${base}/{name}`] = {
      get: op('get', false),
      put: op('put', true),
      delete: op('delete', false),
      patch: { ...op('patch', false), parameters: params },
    };
  }
  return out;
}

const v3Docs = new Map<string, { doc: unknown; hash: string }>();

function v3Doc(group: string, version: string): { doc: unknown; hash: string } | undefined {
  const key = `${group}/${version}`;
  const cached = v3Docs.get(key);
  if (cached) return cached;
  const kinds = servedGroups().find((g) => g.group === group && g.version === version)?.resources ?? [];
  if (kinds.length === 0) return undefined;
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.30.0' },
    paths: paths(kinds),
    components: { schemas: closure(kinds, V3_REF) },
  };
  const entry = { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() };
  v3Docs.set(key, entry);
  return entry;
}

export function openApiV3Root(): unknown {
  const out: Record<string, { serverRelativeURL: string }> = {};
  for (const g of servedGroups()) {
    const p = gvPath(g.group, g.version);
    out[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${v3Doc(g.group, g.version)!.hash}` };
  }
  return { paths: out };
}

export function openApiV3GroupVersion(group: string, version: string): unknown {
  return v3Doc(group, version)?.doc;
}

let v2: unknown;
export function openApiV2(): unknown {
  v2 ??= {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.30.0' },
    paths: {},
    definitions: closure(
      servedGroups().flatMap((g) => g.resources),
      V2_REF,
    ),
  };
  return v2;
}

/** The schema of a served kind (for the handler's strict field validation). */
export function kindSchema(info: ResourceInfo): { root: Schema; defs: Map<string, Schema> } | undefined {
  const defs = allDefinitions();
  const root = defs.get(kindDefinitionName(info));
  return root ? { root, defs } : undefined;
}
