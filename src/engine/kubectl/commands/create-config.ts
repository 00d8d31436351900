/**
 * `kubectl create namespace|serviceaccount|configmap|secret generic|secret docker-registry|secret tls`: the objects
 * kubectl v1.30's generators build (reference kubectl-breadth §2.2, §2.4, §3.2, §3.5) with their flag sets and
 * client-side errors. Flags that read files read the student's home directory (file-sources.ts).
 */
import { createHash } from 'node:crypto';
import { StatusError } from '../../api/status-error';
import type { ConfigMap, KubeObject, Namespace, Secret, ServiceAccount } from '../../api/types';
import { CONFIG_KEY_MSG, encodeBase64, isConfigMapKey } from '../../server/config-objects';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, UsageError } from '../context';
import { createAndPrint, DRY_RUN_FLAG } from './create-output';
import { fromEnvFile, fromFileSources, readKeyPair } from './file-sources';

/** The printing and apply flags every `create` generator has. */
export const GENERATOR_FLAGS: FlagSpec[] = [
  flag.bool(
    'allow-missing-template-keys',
    undefined,
    true,
    'If true, ignore any errors in templates when a field or map key is missing in the template.',
  ),
  DRY_RUN_FLAG,
  flag.string(
    'field-manager',
    undefined,
    'kubectl-create',
    'Name of the manager used to track field ownership.',
  ),
  flag.output(),
  flag.bool(
    'save-config',
    undefined,
    false,
    'If true, the configuration of current object will be saved in its annotation.',
  ),
  flag.bool(
    'show-managed-fields',
    undefined,
    false,
    'If true, keep the managedFields when printing objects in JSON or YAML format.',
  ),
  flag.string(
    'template',
    undefined,
    '',
    'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
  ),
  {
    name: 'validate',
    type: 'string',
    default: 'strict',
    noOptDefault: 'strict',
    description: 'Must be one of: strict (or true), warn, ignore (or false).',
  },
];

const stringArray = (name: string, description: string): FlagSpec => ({
  name,
  type: 'stringArray',
  default: [],
  description,
});
const FROM_FILE = stringArray('from-file', 'Key files can be specified using their file path.');
const FROM_ENV_FILE = stringArray(
  'from-env-file',
  'Specify the path to a file to read lines of key=val pairs.',
);
const FROM_LITERAL = stringArray(
  'from-literal',
  'Specify a key and literal value to insert (i.e. mykey=somevalue)',
);
const APPEND_HASH = flag.bool('append-hash', undefined, false, 'Append a hash of the object to its name.');

function oneName(args: ParsedArgs): string {
  if (args.positional.length !== 1)
    throw new UsageError(`exactly one NAME is required, got ${args.positional.length}`);
  return args.positional[0];
}

/** docker-registry's --from-file (a ready .dockerconfigjson) is the one file flag the lab does not read. */
function refuseFiles(args: ParsedArgs, names: string[]): void {
  for (const name of names)
    if (args.changed.has(name))
      throw new CommandError(
        `--${name} is not available for docker-registry secrets in this lab terminal; use --docker-username, --docker-password and --docker-server`,
      );
}

/**
 * The data sources in kubectl's order: --from-file, then --from-literal, then --from-env-file (each checked and
 * added in turn, so the first bad or repeated key stops the command).
 */
function dataSources(ctx: KubectlContext, args: ParsedArgs): [string, string][] {
  return [
    ...fromFileSources(ctx, args.flags['from-file'] as string[]),
    ...(args.flags['from-literal'] as string[]).map(parseLiteral),
    ...(args.flags['from-env-file'] as string[]).flatMap((path) => fromEnvFile(ctx, path)),
  ];
}

/** kubectl's ParseLiteralSource: `key=value`, the key not empty (the value may hold more `=`). */
function parseLiteral(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new CommandError(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

function namespaced<T extends KubeObject>(obj: T, args: ParsedArgs): T {
  obj.metadata.namespace = namespaceFlag(args);
  return obj;
}

/** Runs the create through the API server; `wrap` prefixes server errors as the generator's RunE does. */
function run(
  ctx: KubectlContext,
  args: ParsedArgs,
  obj: KubeObject,
  wrap?: (message: string) => string,
): void {
  createAndPrint(ctx, args, obj, 'created', (o, opts) => {
    try {
      return ctx.cluster.api.create(o, opts);
    } catch (error) {
      if (wrap && error instanceof StatusError) throw new CommandError(wrap(error.message));
      throw error;
    }
  });
}

export const createNamespaceCommand: CommandDef = {
  path: ['create', 'namespace'],
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
  flags: GENERATOR_FLAGS,
  run(ctx, args) {
    const name = oneName(args);
    const ns: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
      spec: {},
      status: {} as Namespace['status'],
    };
    // create namespace prints the server's error as it is (no "failed to create" prefix).
    run(ctx, args, ns);
  },
};

export const createServiceAccountCommand: CommandDef = {
  path: ['create', 'serviceaccount'],
  aliases: ['sa'],
  short: 'Create a service account with the specified name',
  usage: 'kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]',
  flags: GENERATOR_FLAGS,
  run(ctx, args) {
    const name = oneName(args);
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } };
    run(ctx, args, namespaced(sa, args), (m) => `failed to create serviceaccount: ${m}`);
  },
};

export const createConfigMapCommand: CommandDef = {
  path: ['create', 'configmap'],
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  usage:
    'kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: [...GENERATOR_FLAGS, APPEND_HASH, FROM_ENV_FILE, FROM_FILE, FROM_LITERAL],
  run(ctx, args) {
    const name = oneName(args);
    const literals = args.flags['from-literal'] as string[];
    if (args.changed.has('from-env-file') && (args.changed.has('from-file') || literals.length > 0))
      throw new CommandError('from-env-file cannot be combined with from-file or from-literal');
    const sources = dataSources(ctx, args);
    const data: Record<string, string> = {};
    for (const [key, value] of sources) {
      if (isConfigMapKey(key).length > 0)
        throw new CommandError(
          `${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${CONFIG_KEY_MSG}`,
        );
      if (key in data)
        throw new CommandError(
          `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(name)}`,
        );
      data[key] = value;
    }
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } };
    if (sources.length > 0) cm.data = data;
    if (args.flags['append-hash']) cm.metadata.name = `${name}-${configMapHash(cm)}`;
    run(ctx, args, namespaced(cm, args), (m) => `failed to create configmap: ${m}`);
  },
};

/** Secret generators wrap server errors without a colon: `failed to create secret secrets "x" already exists`. */
const wrapSecret = (m: string) => `failed to create secret ${m}`;

export const createSecretGenericCommand: CommandDef = {
  path: ['create', 'secret', 'generic'],
  short: 'Create a secret from a local file, directory, or literal value',
  usage:
    'kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    APPEND_HASH,
    FROM_ENV_FILE,
    FROM_FILE,
    FROM_LITERAL,
    flag.string('type', undefined, '', 'The type of secret to create'),
  ],
  run(ctx, args) {
    const name = oneName(args);
    const literals = args.flags['from-literal'] as string[];
    if (args.changed.has('from-env-file') && (args.changed.has('from-file') || literals.length > 0))
      throw new CommandError('from-env-file cannot be combined with from-file or from-literal');
    const sources = dataSources(ctx, args);
    const data: Record<string, string> = {};
    for (const [key, value] of sources) {
      if (isConfigMapKey(key).length > 0)
        throw new CommandError(`${JSON.stringify(key)} is not valid key name for a Secret ${CONFIG_KEY_MSG}`);
      if (key in data)
        throw new CommandError(`cannot add key ${key}, another key by that name already exists`);
      data[key] = encodeBase64(value);
    }
    const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name } };
    if (sources.length > 0) secret.data = data;
    const type = args.flags.type as string;
    if (type) secret.type = type;
    if (args.flags['append-hash']) secret.metadata.name = `${name}-${secretHash(secret)}`;
    run(ctx, args, namespaced(secret, args), wrapSecret);
  },
};

export const createSecretDockerRegistryCommand: CommandDef = {
  path: ['create', 'secret', 'docker-registry'],
  short: 'Create a secret for use with a Docker registry',
  usage:
    'kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    APPEND_HASH,
    flag.string('docker-email', undefined, '', 'Email for Docker registry'),
    flag.string('docker-password', undefined, '', 'Password for Docker registry authentication'),
    flag.string(
      'docker-server',
      undefined,
      'https://index.docker.io/v1/',
      'Server location for Docker registry',
    ),
    flag.string('docker-username', undefined, '', 'Username for Docker registry authentication'),
    FROM_FILE,
  ],
  run(ctx, args) {
    const name = oneName(args);
    const files = args.flags['from-file'] as string[];
    const username = args.flags['docker-username'] as string;
    const password = args.flags['docker-password'] as string;
    const server = args.flags['docker-server'] as string;
    const email = args.flags['docker-email'] as string;
    if (files.length === 0 && (!username || !password || !server))
      throw new CommandError(
        'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
      );
    refuseFiles(args, ['from-file']);
    // The fields in the order of kubectl's DockerConfigEntry struct; email only when given.
    const entry: Record<string, string> = { username, password };
    if (email) entry.email = email;
    entry.auth = encodeBase64(`${username}:${password}`);
    const config = JSON.stringify({ auths: { [server]: entry } });
    const secret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { '.dockerconfigjson': encodeBase64(config) },
      type: 'kubernetes.io/dockerconfigjson',
    };
    if (args.flags['append-hash']) secret.metadata.name = `${name}-${secretHash(secret)}`;
    run(ctx, args, namespaced(secret, args), wrapSecret);
  },
};

export const createSecretTlsCommand: CommandDef = {
  path: ['create', 'secret', 'tls'],
  short: 'Create a TLS secret',
  usage:
    'kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]',
  flags: [
    ...GENERATOR_FLAGS,
    APPEND_HASH,
    flag.string('cert', undefined, '', 'Path to PEM encoded public key certificate.'),
    flag.string('key', undefined, '', 'Path to private key associated with given certificate.'),
  ],
  run(ctx, args) {
    const name = oneName(args);
    if (!args.flags.cert || !args.flags.key) throw new CommandError('key and cert must be specified');
    const { cert, key } = readKeyPair(ctx, args.flags.cert as string, args.flags.key as string);
    const secret: Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { 'tls.crt': encodeBase64(cert), 'tls.key': encodeBase64(key) },
      type: 'kubernetes.io/tls',
    };
    if (args.flags['append-hash']) secret.metadata.name = `${name}-${secretHash(secret)}`;
    run(ctx, args, namespaced(secret, args), wrapSecret);
  },
};

/** kubectl's hash.encodeHash: the first 10 hex digits with 0,1,3,a,e replaced so the result is not a word. */
function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Go's json.Marshal of a map: keys sorted, HTML characters escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
  return JSON.stringify(sorted(value)).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** hash.ConfigMapHash: over kind, name, data (and binaryData when present). */
function configMapHash(cm: ConfigMap): string {
  const encoded: Record<string, unknown> = { kind: 'ConfigMap', name: cm.metadata.name, data: cm.data ?? {} };
  if (cm.binaryData && Object.keys(cm.binaryData).length > 0) encoded.binaryData = cm.binaryData;
  return encodeHash(sha256Hex(goJson(encoded)));
}

/** hash.SecretHash: over kind, type, name and the data (base64, as encoding/json writes []byte). */
function secretHash(secret: Secret): string {
  const encoded = {
    kind: 'Secret',
    type: secret.type ?? '',
    name: secret.metadata.name,
    data: secret.data ?? {},
  };
  return encodeHash(sha256Hex(goJson(encoded)));
}
