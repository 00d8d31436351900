/**
 * The OpenAPI definitions of every Kubernetes v1.30 type, generated from the type declarations of the installed
 * `kubernetes-types` package (names, field types, required fields and the field descriptions `kubectl explain`
 * prints). Generating them parses about a hundred declaration files with the TypeScript compiler, which costs a
 * process a second or two; so the result is kept on disk beside the dependencies, keyed by the package's version
 * and this generator's own source, and every later process (each API, worker, `engine serve` and test file) reads it
 * back instead.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';

export type Schema = Record<string, unknown>;

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Every type of kubernetes-types, by OpenAPI definition name: from the disk cache, or generated and cached. */
export function loadDefinitions(): Map<string, Schema> {
  const root = typesRoot();
  const version = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const key = createHash('sha256').update(version).update(fs.readFileSync(__filename)).digest('hex');
  const cached = path.join(root, '..', '.cache', 'kubelab-openapi', `${key}.json`);
  try {
    return new Map(JSON.parse(fs.readFileSync(cached, 'utf8')) as [string, Schema][]);
  } catch {
    const definitions = generateDefinitions();
    try {
      fs.mkdirSync(path.dirname(cached), { recursive: true });
      // Written aside and renamed: a process starting at the same moment never reads half a file.
      const partial = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(partial, JSON.stringify([...definitions]));
      fs.renameSync(partial, cached);
    } catch {
      // A read-only or full disk only costs the next process its second.
    }
    return definitions;
  }
}

function typesRoot(): string {
  return path.dirname(require.resolve('kubernetes-types/package.json'));
}

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

function jsDoc(node: TS.Node): string {
  const docs = (node as TS.Node & { jsDoc?: TS.JSDoc[] }).jsDoc;
  if (!docs?.length) return '';
  const comment = docs[docs.length - 1].comment;
  const text = typeof comment === 'string' ? comment : (comment ?? []).map((c) => c.text).join('');
  return text.trim();
}

/** Every type of kubernetes-types, by OpenAPI definition name. */
export function generateDefinitions(): Map<string, Schema> {
  // Loaded here only: the compiler is large, and a process that finds the cache never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  const root = typesRoot();
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
    const typeSchema = (node: TS.TypeNode | undefined): Schema => {
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
