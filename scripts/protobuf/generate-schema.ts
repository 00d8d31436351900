/**
 * `node -r ./scripts/swc-register.cjs scripts/protobuf/generate-schema.ts [KUBECTL]`: writes
 * src/engine/http/protobuf/k8s-schema.json, the Kubernetes v1.30 protobuf message definitions, from the descriptors
 * gogo-protobuf compiled into the installed kubectl (default /usr/lib/google-cloud-sdk/bin/kubectl.1.30). The file
 * is generated, never edited; schema.spec.ts checks it still matches what this script writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_FILE, schemaText } from '../../src/engine/http/protobuf/schema-source';

const binary = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
const out = path.resolve(__dirname, '..', '..', SCHEMA_FILE);
fs.writeFileSync(
  out,
  schemaText(binary, (line) => process.stderr.write(`${line}\n`)),
);

process.stdout.write(`wrote ${out}\n`);
