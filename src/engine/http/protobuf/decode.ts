/**
 * `application/vnd.kubernetes.protobuf` request bodies (kubectl 1.32+ typed clients) decoded into the JSON object a
 * JSON request would carry, so everything after the body reader is the same for both.
 *
 * The body is the prefix `k8s\0` and a runtime.Unknown {typeMeta {apiVersion, kind}, raw}; raw is the object as the
 * gogo-protobuf message of its kind. The schema (k8s-schema.json) comes from kubectl 1.30's own descriptors
 * (descriptors.ts). gogo writes every plain (non-pointer) field, even when zero, and leaves nil pointers out. JSON
 * marshalling leaves zero plain scalars out (omitempty) but writes plain structs even when empty. So: a plain
 * scalar's zero value (`""`, 0, false) is dropped, a plain struct is kept (`strategy: {}`, `creationTimestamp:
 * null`), and a pointer field that is present is kept whatever its value (`replicas: 0`, `emptyDir: {}`).
 */
import { WireError, WireReader, WireType, signed64, type WireField } from './wire';
import { INLINE, NOT_NULLABLE, REPEATED, type ProtoSchema, type SchemaField } from './descriptors';
import schemaJson from './k8s-schema.json';

export const PROTOBUF_PREFIX = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const schema = schemaJson as unknown as ProtoSchema;

/** A body that is not a valid protobuf object: its message is the API server's decoder error. */
export class ProtobufDecodeError extends Error {
  constructor(
    message: string,
    readonly kind?: string,
    readonly version?: string,
  ) {
    super(message);
  }
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** Types whose JSON form is not an object of their fields (their MarshalJSON in apimachinery). */
const SPECIAL: Record<string, (fields: WireField[]) => unknown> = {
  [`${META}.Time`]: (f) => timestamp(f, false),
  [`${META}.MicroTime`]: (f) => timestamp(f, true),
  [`${META}.Duration`]: (f) => goDuration(signed64(f.find((x) => x.number === 1)?.int ?? 0n)),
  [`${META}.FieldsV1`]: (f) => rawJson(f),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (f) => rawJson(f),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (f) => {
    const s = f.find((x) => x.number === 1);
    return s ? s.bytes!.toString('utf8') : undefined;
  },
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (f) => {
    const type = Number(f.find((x) => x.number === 1)?.int ?? 0n);
    if (type === 1) return f.find((x) => x.number === 3)?.bytes?.toString('utf8') ?? '';
    return Number(signed64(f.find((x) => x.number === 2)?.int ?? 0n));
  },
};

function timestamp(fields: WireField[], micro: boolean): string | null {
  const seconds = signed64(fields.find((x) => x.number === 1)?.int ?? 0n);
  const nanos = Number(fields.find((x) => x.number === 2)?.int ?? 0n);
  // The zero Time (no seconds, no nanos) is JSON null.
  if (seconds === 0n && nanos === 0) return null;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function rawJson(fields: WireField[]): unknown {
  const raw = fields.find((x) => x.number === 1)?.bytes;
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new ProtobufDecodeError('embedded object is not valid JSON');
  }
}

/** Go's time.Duration String(): 1h0m0s, 1m30s, 1.5s, 500ms, 0s. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  let n = negative ? -ns : ns;
  const sign = negative ? '-' : '';
  const fraction = (value: bigint, unit: bigint) => {
    const whole = value / unit;
    const rest = (value % unit)
      .toString()
      .padStart(unit.toString().length - 1, '0')
      .replace(/0+$/, '');
    return rest === '' ? whole.toString() : `${whole}.${rest}`;
  };
  if (n < 1_000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${fraction(n, 1_000n)}µs`;
  if (n < 1_000_000_000n) return `${sign}${fraction(n, 1_000_000n)}ms`;
  const hours = n / 3_600_000_000_000n;
  n %= 3_600_000_000_000n;
  const minutes = n / 60_000_000_000n;
  n %= 60_000_000_000n;
  const seconds = `${fraction(n, 1_000_000_000n)}s`;
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** Messages that are a Go slice in disguise (`ExtraValue`, `Verbs`: `repeated string items = 1`): JSON arrays. */
function isSliceType(fields: SchemaField[]): boolean {
  return fields.length === 1 && fields[0][0] === 1 && fields[0][1] === 'items' && fields[0][3] === REPEATED;
}

function scalar(type: string, f: WireField): unknown {
  if (type === 'string' || type === 'bytes') {
    if (f.wireType !== WireType.LengthDelimited) throw wrongWireType(f, type);
    return type === 'string' ? f.bytes!.toString('utf8') : f.bytes!.toString('base64');
  }
  if (f.int === undefined) throw wrongWireType(f, type);
  switch (type) {
    case 'bool':
      return f.int !== 0n;
    case 'int32':
    case 'int64':
    case 'sfixed64':
      return Number(signed64(f.int));
    case 'sfixed32':
      return Number(BigInt.asIntN(32, f.int));
    case 'sint32':
    case 'sint64':
      return Number((f.int >> 1n) ^ -(f.int & 1n));
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(f.int);
      return b.readDoubleLE();
    }
    case 'float': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(Number(f.int));
      return b.readFloatLE();
    }
    default:
      return Number(f.int);
  }
}

function wrongWireType(f: WireField, type: string): ProtobufDecodeError {
  return new ProtobufDecodeError(`proto: wrong wireType = ${f.wireType} for field ${f.number} (${type})`);
}

const isZero = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === 0 ||
  v === false ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** Repeated scalars may come packed (one length-delimited run) or one per field. */
function repeatedScalars(type: string, fields: WireField[]): unknown[] {
  const out: unknown[] = [];
  for (const f of fields) {
    if (f.wireType === WireType.LengthDelimited && type !== 'string' && type !== 'bytes') {
      const reader = new WireReader(f.bytes!);
      const fixed = FIXED_WIDTH[type];
      while (!reader.done()) {
        const int = fixed ? reader.fixed(fixed) : reader.varint();
        out.push(scalar(type, { number: f.number, wireType: WireType.Varint, int }));
      }
    } else out.push(scalar(type, f));
  }
  return out;
}

const FIXED_WIDTH: Record<string, 4 | 8> = {
  double: 8,
  fixed64: 8,
  sfixed64: 8,
  float: 4,
  fixed32: 4,
  sfixed32: 4,
};

function value(type: string, f: WireField): unknown {
  if (!schema.messages[type]) return scalar(type, f);
  if (f.wireType !== WireType.LengthDelimited) throw wrongWireType(f, type);
  return message(type, f.bytes!);
}

/** One message as its JSON value. */
export function message(type: string, buf: Buffer): unknown {
  const fields = schema.messages[type];
  if (!fields) throw new ProtobufDecodeError(`no protobuf schema for ${type}`);
  const wire = WireReader.fields(buf);
  const special = SPECIAL[type];
  if (special) return special(wire);
  const byNumber = new Map<number, WireField[]>();
  for (const f of wire) {
    const seen = byNumber.get(f.number);
    if (seen) seen.push(f);
    else byNumber.set(f.number, [f]);
  }
  if (isSliceType(fields)) return repeatedScalars(fields[0][2], byNumber.get(1) ?? []);

  const out: Record<string, unknown> = {};
  // In the schema's order (the Go struct's), so the object's keys come in the order JSON marshalling gives them.
  for (const [number, name, type, flags] of fields) {
    const present = byNumber.get(number);
    if (!present) continue;
    const map = /^map<(\w+),([\w.]+)>$/.exec(type);
    if (map) {
      const entries: Record<string, unknown> = {};
      for (const f of present) {
        if (f.wireType !== WireType.LengthDelimited) throw wrongWireType(f, type);
        const entry = WireReader.fields(f.bytes!);
        const key = entry.find((e) => e.number === 1);
        const val = entry.find((e) => e.number === 2);
        const k = key ? String(scalar(map[1], key)) : '';
        entries[k] = val ? value(map[2], val) : schema.messages[map[2]] ? {} : map[2] === 'string' ? '' : 0;
      }
      if (Object.keys(entries).length > 0) out[name] = entries;
    } else if (flags & REPEATED) {
      const list = schema.messages[type]
        ? present.map((f) => value(type, f))
        : repeatedScalars(type, present);
      if (list.length > 0) out[name] = list;
    } else {
      const v = value(type, present[present.length - 1]);
      // An embedded struct (`json:",inline"`): its fields are this object's.
      if (flags & INLINE && v !== null && typeof v === 'object') {
        Object.assign(out, v);
        continue;
      }
      if (v === undefined) continue;
      if (flags & NOT_NULLABLE) {
        // JSON marshalling writes a plain struct even when empty (`status: {}`, a zero Time as null): so does this.
        if (schema.messages[type]) out[name] = v;
        // A plain scalar at its zero value is "not set" (omitempty).
        else if (!isZero(v)) out[name] = v;
      } else if (v !== null) out[name] = v;
      // A pointer that is present is a value whatever it holds (`replicas: 0`, `emptyDir: {}`).
    }
  }
  return out;
}

/** The message type of apiVersion+kind: `k8s.io.api.<group's first label>.<version>.<Kind>`, or meta/v1's. */
export function messageType(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const pkg =
    group === '' ? 'core' : group === 'internal.apiserver.k8s.io' ? 'apiserverinternal' : group.split('.')[0];
  for (const candidate of [
    `k8s.io.api.${pkg}.${version}.${kind}`,
    `k8s.io.metrics.pkg.apis.${pkg}.${version}.${kind}`,
    `k8s.io.apimachinery.pkg.apis.meta.${version}.${kind}`,
  ])
    if (schema.messages[candidate]) return candidate;
  return undefined;
}

/**
 * A whole request body (prefix, runtime.Unknown, object) as the JSON object it stands for, `kind` and `apiVersion`
 * first as JSON marshalling writes them. Throws ProtobufDecodeError with the API server's decoder texts.
 */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < PROTOBUF_PREFIX.length || !body.subarray(0, 4).equals(PROTOBUF_PREFIX))
    throw new ProtobufDecodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_PREFIX].join(' ')}]`,
    );
  if (body.length === PROTOBUF_PREFIX.length) throw new ProtobufDecodeError('empty body');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    for (const f of WireReader.fields(body.subarray(4))) {
      if (f.number === 1 && f.bytes)
        for (const t of WireReader.fields(f.bytes)) {
          if (t.number === 1 && t.bytes) apiVersion = t.bytes.toString('utf8');
          if (t.number === 2 && t.bytes) kind = t.bytes.toString('utf8');
        }
      else if (f.number === 2 && f.bytes) raw = f.bytes;
    }
  } catch (error) {
    throw asDecodeError(error);
  }
  if (kind === '')
    throw new ProtobufDecodeError(`Object 'Kind' is missing in '${typeMetaText(apiVersion, kind)}'`);
  if (apiVersion === '')
    throw new ProtobufDecodeError(`Object 'apiVersion' is missing in '${typeMetaText(apiVersion, kind)}'`);
  const type = messageType(apiVersion, kind);
  if (!type)
    throw new ProtobufDecodeError(
      `no kind "${kind}" is registered for version "${apiVersion}"`,
      kind,
      apiVersion,
    );
  try {
    const object = message(type, raw ?? Buffer.alloc(0)) as Record<string, unknown>;
    return { kind, apiVersion, ...object };
  } catch (error) {
    const decodeError = asDecodeError(error);
    throw new ProtobufDecodeError(decodeError.message, kind, apiVersion);
  }
}

/** Go's %#v of runtime.TypeMeta, as the missing-kind errors print it. */
function typeMetaText(apiVersion: string, kind: string): string {
  return `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;
}

function asDecodeError(error: unknown): ProtobufDecodeError {
  if (error instanceof ProtobufDecodeError) return error;
  if (error instanceof WireError)
    return new ProtobufDecodeError(error.message.includes('end') ? 'unexpected EOF' : error.message);
  throw error;
}
