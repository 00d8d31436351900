/**
 * The Kubernetes protobuf schema, taken from a Go binary that carries it. gogo-protobuf registers every
 * `generated.proto` it compiled as a gzipped FileDescriptorProto, and kubectl links all of k8s.io/api and
 * k8s.io/apimachinery; so the installed kubectl.1.30 holds the message definitions of a v1.30 API server — field
 * numbers, types, and gogo's `nullable` option, which tells a Go pointer (zero is a value) from a plain field
 * (zero means unset). This module finds them and reduces them to the compact schema the decoder reads.
 */
import { inflateRawSync } from 'node:zlib';
import { WireReader, type WireField } from './wire';

/** A field: [number, name, type, flags]; type is a scalar type, a message's full name or `map<K,V>`. */
export type SchemaField = [number: number, name: string, type: string, flags: number];
export const REPEATED = 1;
/** gogoproto.nullable=false: a plain Go value rather than a pointer, so its zero value means "not set". */
export const NOT_NULLABLE = 2;
/** A Go struct embedded with `json:",inline"` (IngressRule's IngressRuleValue, Volume's VolumeSource): its fields
 * are the parent's in JSON. */
export const INLINE = 4;

export interface ProtoSchema {
  source: string;
  files: string[];
  messages: Record<string, SchemaField[]>;
}

const SCALARS: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;
/** gogoproto.nullable's extension number in FieldOptions. */
const GOGO_NULLABLE = 65001;

interface RawField {
  name: string;
  number: number;
  repeated: boolean;
  type: string;
  nullable: boolean;
}
interface RawMessage {
  fullName: string;
  fields: RawField[];
  mapEntry: boolean;
}

const text = (f: WireField) => f.bytes!.toString('utf8');

function parseField(buf: Buffer): RawField {
  const out: RawField = { name: '', number: 0, repeated: false, type: '', nullable: true };
  let typeCode = 0;
  let typeName = '';
  for (const f of WireReader.fields(buf)) {
    if (f.number === 1) out.name = text(f);
    else if (f.number === 3) out.number = Number(f.int);
    else if (f.number === 4) out.repeated = Number(f.int) === LABEL_REPEATED;
    else if (f.number === 5) typeCode = Number(f.int);
    else if (f.number === 6) typeName = text(f).replace(/^\./, '');
    else if (f.number === 8)
      for (const option of WireReader.fields(f.bytes!))
        if (option.number === GOGO_NULLABLE) out.nullable = option.int !== 0n;
  }
  if (typeCode === TYPE_MESSAGE) out.type = typeName;
  else if (SCALARS[typeCode]) out.type = SCALARS[typeCode];
  else throw new Error(`field ${out.name}: unsupported descriptor type ${typeCode} ${typeName}`);
  return out;
}

function parseMessage(buf: Buffer, scope: string, into: RawMessage[]): void {
  const message: RawMessage = { fullName: '', fields: [], mapEntry: false };
  const nested: Buffer[] = [];
  for (const f of WireReader.fields(buf)) {
    if (f.number === 1) message.fullName = `${scope}.${text(f)}`;
    else if (f.number === 2) message.fields.push(parseField(f.bytes!));
    else if (f.number === 3) nested.push(f.bytes!);
    else if (f.number === 7)
      for (const option of WireReader.fields(f.bytes!))
        if (option.number === 7) message.mapEntry = option.int !== 0n;
  }
  into.push(message);
  for (const n of nested) parseMessage(n, message.fullName, into);
}

/** One FileDescriptorProto: its file name and messages (nested ones included, with their full names). */
export function parseFileDescriptor(buf: Buffer): { name: string; messages: RawMessage[] } {
  let name = '';
  let pkg = '';
  const bodies: Buffer[] = [];
  for (const f of WireReader.fields(buf)) {
    if (f.number === 1) name = text(f);
    else if (f.number === 2) pkg = text(f);
    else if (f.number === 4) bodies.push(f.bytes!);
  }
  const messages: RawMessage[] = [];
  for (const body of bodies) parseMessage(body, pkg, messages);
  return { name, messages };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);

/** Every gzipped FileDescriptorProto of a `k8s.io/...generated.proto` in a Go binary, by file name. */
export function findDescriptors(binary: Buffer): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (let at = binary.indexOf(GZIP_HEADER); at >= 0; at = binary.indexOf(GZIP_HEADER, at + 1)) {
    let inflated: Buffer;
    try {
      // A gzip member is a 10-byte header and a raw deflate stream; inflate stops at the stream's end.
      inflated = inflateRawSync(binary.subarray(at + 10, at + 10 + 4 * 1024 * 1024));
    } catch {
      continue;
    }
    // A FileDescriptorProto starts with its name (field 1).
    if (inflated[0] !== 0x0a) continue;
    const length = inflated[1];
    const name = inflated.subarray(2, 2 + length).toString('latin1');
    if (/^k8s\.io\/[\w./-]+\/generated\.proto$/.test(name) && !found.has(name)) found.set(name, inflated);
  }
  return found;
}

/** The compact schema of the descriptors found in a binary (files and messages sorted, so output is stable). */
export function schemaFromBinary(binary: Buffer, source: string): ProtoSchema {
  const files = findDescriptors(binary);
  if (files.size === 0) throw new Error(`${source}: no k8s.io generated.proto descriptors found`);
  const all: RawMessage[] = [];
  for (const buf of files.values()) all.push(...parseFileDescriptor(buf).messages);
  const entries = new Map(all.filter((m) => m.mapEntry).map((m) => [m.fullName, m]));
  const messages: Record<string, SchemaField[]> = {};
  for (const m of [...all].sort((a, b) => a.fullName.localeCompare(b.fullName))) {
    if (m.mapEntry) continue;
    messages[m.fullName] = m.fields.map((f) => {
      const entry = entries.get(f.type);
      if (entry) {
        const [key, value] = [1, 2].map((n) => entry.fields.find((e) => e.number === n)!.type);
        return [f.number, f.name, `map<${key},${value}>`, f.nullable ? 0 : NOT_NULLABLE];
      }
      return [f.number, f.name, f.type, (f.repeated ? REPEATED : 0) | (f.nullable ? 0 : NOT_NULLABLE)];
    });
  }
  return { source, files: [...files.keys()].sort(), messages };
}
