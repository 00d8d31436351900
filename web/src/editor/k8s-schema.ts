/**
 * The Kubernetes 1.30 schemas the editor checks manifests against: the engine's OpenAPI v3 group-version documents
 * (the same ones `kubectl explain` and the API server's strict field validation read), looked up by a manifest's
 * `apiVersion` and `kind`. Type names are written as Go prints them, because the API server's decoding errors
 * name Go types (`cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
 */

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export interface OpenApiDocument {
  components?: { schemas?: Record<string, Schema> };
}

const REF = '#/components/schemas/';
/** Types with their own JSON decoding in Go: they take a number or a string. */
const NUMBER_OR_STRING = new Set([
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
]);

/** A schema with its `$ref`/`allOf` followed: what a value there must look like. */
export interface Resolved {
  schema: Schema;
  /** The definition's name when the value is a named type (`io.k8s.api.apps.v1.DeploymentSpec`). */
  name?: string;
  /** The description written at the field, else the type's. */
  description?: string;
}

/**
 * The server-relative path of a group version's OpenAPI v3 document, as the API server publishes it
 * (`v1` → `api/v1`, `apps/v1` → `apis/apps/v1`); undefined for what cannot be an apiVersion.
 */
export function openApiPath(apiVersion: string): string | undefined {
  const parts = apiVersion.split('/');
  const valid = (s: string) => /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(s);
  if (parts.length === 1 && valid(parts[0])) return `api/${parts[0]}`;
  if (parts.length === 2 && valid(parts[0]) && valid(parts[1])) return `apis/${parts[0]}/${parts[1]}`;
  return undefined;
}

/** One group version's document, indexed for lookups by kind. */
export class SchemaIndex {
  private readonly schemas: Record<string, Schema>;

  constructor(document: OpenApiDocument) {
    this.schemas = document.components?.schemas ?? {};
  }

  /** The top-level schema of `kind` in `apiVersion`; undefined when this group version has no such kind. */
  kind(apiVersion: string, kind: string): Resolved | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    for (const [name, schema] of Object.entries(this.schemas)) {
      const gvks = schema['x-kubernetes-group-version-kind'] ?? [];
      if (gvks.some((g) => g.group === group && g.version === version && g.kind === kind))
        return { schema, name, description: schema.description };
    }
    return undefined;
  }

  /** The kinds this document declares (for completing `kind:`). */
  kinds(): string[] {
    const out = new Set<string>();
    for (const schema of Object.values(this.schemas))
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) out.add(gvk.kind);
    return [...out].sort();
  }

  resolve(schema: Schema | undefined): Resolved | undefined {
    let current = schema;
    let name: string | undefined;
    const description = schema?.description;
    for (let hops = 0; current && hops < 16; hops++) {
      const ref = current.$ref ?? current.allOf?.[0]?.$ref;
      if (!ref?.startsWith(REF)) break;
      name = ref.slice(REF.length);
      current = this.schemas[name];
    }
    if (!current) return undefined;
    return { schema: current, name, description: description ?? current.description };
  }

  /** The schema of field `key` of an object value; undefined for a field the type does not declare. */
  field(parent: Resolved, key: string): Resolved | undefined {
    const { properties, additionalProperties } = parent.schema;
    if (properties && Object.prototype.hasOwnProperty.call(properties, key))
      return this.resolve(properties[key]);
    if (additionalProperties && typeof additionalProperties === 'object')
      return this.resolve(additionalProperties);
    // An object without declared fields (RawExtension, FieldsV1) takes anything.
    if (!properties) return { schema: {} };
    return undefined;
  }

  item(parent: Resolved): Resolved | undefined {
    return parent.schema.type === 'array' ? this.resolve(parent.schema.items) : undefined;
  }

  /** The Go type the API server decodes into, as its errors print it (`int32`, `[]v1.Container`, `v1.ObjectMeta`). */
  goType(resolved: Resolved, depth = 0): string {
    const { schema, name } = resolved;
    if (name) return shortName(name);
    switch (schema.type) {
      case 'integer':
        return schema.format === 'int64' ? 'int64' : 'int32';
      case 'number':
        return 'float64';
      case 'boolean':
        return 'bool';
      case 'string':
        return 'string';
      case 'array': {
        const item = this.resolve(schema.items);
        return `[]${item && depth < 8 ? this.goType(item, depth + 1) : 'interface {}'}`;
      }
      case 'object': {
        const value =
          typeof schema.additionalProperties === 'object'
            ? this.resolve(schema.additionalProperties)
            : undefined;
        return value && depth < 8 ? `map[string]${this.goType(value, depth + 1)}` : 'map[string]interface {}';
      }
      default:
        return 'interface {}';
    }
  }

  /** Whether a value is decoded by the type's own code, which takes a number or a string. */
  takesNumberOrString(resolved: Resolved): boolean {
    return (
      (resolved.name !== undefined && NUMBER_OR_STRING.has(resolved.name)) ||
      resolved.schema['x-kubernetes-int-or-string'] === true
    );
  }
}

/** `io.k8s.api.apps.v1.DeploymentSpec` → `v1.DeploymentSpec`, as Go prints a type with its package. */
export function shortName(name: string): string {
  const parts = name.split('.');
  return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : name;
}

/** The struct name Go puts in "Go struct field X.path" (`DeploymentSpec`). */
export function structName(resolved: Resolved): string {
  return resolved.name ? (resolved.name.split('.').pop() ?? resolved.name) : '';
}
