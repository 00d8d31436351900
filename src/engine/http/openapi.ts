/**
 * OpenAPI documents (/openapi/v2, /openapi/v3 and its group-version documents) for the kinds the engine serves.
 * The schemas, with their field descriptions (`kubectl explain`), are generated on first use from the Kubernetes
 * v1.30 type declarations of the installed `kubernetes-types` package; nothing is pasted into the repository.
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../api/resources';
import { servedGroups } from './discovery';
import { loadDefinitions, type Schema } from './openapi-definitions';

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';

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
