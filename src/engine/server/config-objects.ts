/**
 * The API server's handling of ConfigMaps and Secrets: decoding (base64 `data`), defaulting (`type: Opaque`,
 * `stringData` merged into `data`) and the registry strategies' validation with the real field paths and texts.
 */
import { badRequest, type StatusCause, type StatusError } from '../api/status-error';
import type { ConfigMap, KubeObject, Secret } from '../api/types';
import { SECRET_TYPES } from '../api/config-types';
import { invalidValue, regexError, required } from './validation';

/** core.MaxSecretSize: the most bytes a Secret's or ConfigMap's values may hold together. */
export const MAX_DATA_BYTES = 1024 * 1024;
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

export const CONFIG_KEY_MSG = regexError(
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
  '[-._a-zA-Z0-9]+',
  ['key.name', 'KEY_NAME', 'key-name'],
);

/** apimachinery IsConfigMapKey: the keys of ConfigMap and Secret data. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(key)) errs.push(CONFIG_KEY_MSG);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/**
 * Go's base64.StdEncoding.DecodeString as encoding/json applies it to `[]byte` fields: the byte offset of the
 * first problem, or undefined when the text decodes. Newlines are skipped, as Go does.
 */
export function base64Problem(text: string): number | undefined {
  const chars = [...text].map((c, i) => ({ c, i })).filter(({ c }) => c !== '\n' && c !== '\r');
  let quantumStart = 0;
  for (let k = 0; k < chars.length; k++) {
    const { c, i } = chars[k];
    const position = k % 4;
    if (position === 0) quantumStart = i;
    if (BASE64_CHAR.test(c)) continue;
    if (c !== '=' || position < 2) return i;
    // Padding: "xx==" or "xxx=", and nothing after it.
    const rest = chars.slice(k);
    const padding = 4 - position;
    if (rest.length < padding) return quantumStart;
    if (rest.slice(0, padding).some((r) => r.c !== '=')) return rest.find((r) => r.c !== '=')!.i;
    if (rest.length > padding) return rest[padding].i;
    return undefined;
  }
  return chars.length % 4 === 0 ? undefined : quantumStart;
}

/** The body decoder's refusal of bad base64, before any defaulting or validation. */
export function decodeError(obj: KubeObject): StatusError | undefined {
  const field = obj.kind === 'Secret' ? 'data' : obj.kind === 'ConfigMap' ? 'binaryData' : undefined;
  if (!field) return undefined;
  const values = (obj as unknown as Record<string, unknown>)[field];
  if (values === undefined || values === null) return undefined;
  const cannot = `${obj.kind} in version "v1" cannot be handled as a ${obj.kind}`;
  if (typeof values !== 'object' || Array.isArray(values))
    return badRequest(
      `${cannot}: json: cannot unmarshal ${goType(values)} into Go struct field ${obj.kind}.${field} of type map[string][]uint8`,
    );
  for (const value of Object.values(values as Record<string, unknown>)) {
    if (value === null) continue;
    if (typeof value !== 'string')
      return badRequest(
        `${cannot}: json: cannot unmarshal ${goType(value)} into Go struct field ${obj.kind}.${field} of type []uint8`,
      );
    const at = base64Problem(value);
    if (at !== undefined) return badRequest(`${cannot}: illegal base64 data at input byte ${at}`);
  }
  return undefined;
}

function goType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : 'string';
}

export function encodeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function decodedLength(base64: string): number {
  return Buffer.from(base64, 'base64').length;
}

export function defaultSecret(secret: Secret): void {
  secret.type ||= SECRET_TYPES.opaque;
  const stringData = secret.stringData;
  if (stringData && typeof stringData === 'object') {
    const data: Record<string, string> = { ...(secret.data ?? {}) };
    for (const [key, value] of Object.entries(stringData)) data[key] = encodeBase64(String(value ?? ''));
    secret.data = data;
  }
  delete secret.stringData;
}

function sortedKeys(map: Record<string, string> | undefined): string[] {
  return Object.keys(map ?? {}).sort();
}

function validateKeys(field: string, map: Record<string, string> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of sortedKeys(map))
    for (const msg of isConfigMapKey(key)) causes.push(invalidValue(`${field}[${key}]`, key, msg));
  return causes;
}

const tooLong = (field: string): StatusCause => ({
  field,
  message: `Too long: must have at most ${MAX_DATA_BYTES} bytes`,
});

export function validateConfigMap(cm: ConfigMap): StatusCause[] {
  const causes = validateKeys('data', cm.data);
  for (const key of sortedKeys(cm.data))
    if (cm.binaryData && key in cm.binaryData)
      causes.push(invalidValue(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  causes.push(...validateKeys('binaryData', cm.binaryData));
  for (const key of sortedKeys(cm.binaryData))
    if (cm.data && key in cm.data)
      causes.push(invalidValue(`binaryData[${key}]`, key, 'duplicate of key present in data'));
  let size = 0;
  for (const value of Object.values(cm.data ?? {})) size += Buffer.byteLength(String(value), 'utf8');
  for (const value of Object.values(cm.binaryData ?? {})) size += decodedLength(value);
  if (size > MAX_DATA_BYTES) causes.push(tooLong('[]'));
  return causes;
}

/** encoding/json's first complaint about a text, as the server prints it for `.dockerconfigjson`. */
function jsonProblem(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return `json: cannot unmarshal ${goType(parsed)} into Go value of type credentialprovider.DockerConfigJSON`;
    return undefined;
  } catch {
    const trimmed = text.trimStart();
    if (trimmed === '') return 'unexpected end of JSON input';
    return `invalid character '${trimmed[0]}' looking for beginning of value`;
  }
}

export function validateSecret(secret: Secret): StatusCause[] {
  const data = secret.data ?? {};
  const causes = validateKeys('data', data);
  let size = 0;
  for (const value of Object.values(data)) size += decodedLength(value);
  if (size > MAX_DATA_BYTES) causes.push(tooLong('data'));
  const has = (key: string) => key in data;
  switch (secret.type) {
    case SECRET_TYPES.serviceAccountToken:
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name'])
        causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case SECRET_TYPES.dockercfg:
      if (!has('.dockercfg')) causes.push(required('data[.dockercfg]'));
      else {
        const problem = jsonProblem(Buffer.from(data['.dockercfg'], 'base64').toString('utf8'));
        if (problem) causes.push(invalidValue('data[.dockercfg]', '<secret contents redacted>', problem));
      }
      break;
    case SECRET_TYPES.dockerConfigJson:
      if (!has('.dockerconfigjson')) causes.push(required('data[.dockerconfigjson]'));
      else {
        const problem = jsonProblem(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8'));
        if (problem)
          causes.push(invalidValue('data[.dockerconfigjson]', '<secret contents redacted>', problem));
      }
      break;
    case SECRET_TYPES.basicAuth:
      if (!has('username') && !has('password'))
        causes.push(required('data[username]'), required('data[password]'));
      break;
    case SECRET_TYPES.sshAuth:
      if (!data['ssh-privatekey']) causes.push(required('data[ssh-privatekey]'));
      break;
    case SECRET_TYPES.tls:
      if (!has('tls.crt')) causes.push(required('data[tls.crt]'));
      if (!has('tls.key')) causes.push(required('data[tls.key]'));
      break;
  }
  return causes;
}

const IMMUTABLE_WHEN_SET = 'Forbidden: field is immutable when `immutable` is set';

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = sortedKeys(a);
  const bk = sortedKeys(b);
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a![k] === b![k]);
}

/** ValidateConfigMapUpdate / ValidateSecretUpdate: what may not change. */
export function configUpdateCauses(old: KubeObject, next: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  type DataObject = KubeObject & Pick<ConfigMap, 'binaryData'> & Pick<Secret, 'data' | 'immutable' | 'type'>;
  const before = old as DataObject;
  const after = next as DataObject;
  if (old.kind === 'Secret' && before.type !== after.type)
    causes.push(invalidValue('type', after.type ?? '', 'field is immutable'));
  if (before.immutable === true) {
    if (after.immutable !== true) causes.push({ field: 'immutable', message: IMMUTABLE_WHEN_SET });
    if (!sameMap(before.data, after.data)) causes.push({ field: 'data', message: IMMUTABLE_WHEN_SET });
    if (old.kind === 'ConfigMap' && !sameMap(before.binaryData, after.binaryData))
      causes.push({ field: 'binaryData', message: IMMUTABLE_WHEN_SET });
  }
  return causes;
}
