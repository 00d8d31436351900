import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_FILE, schemaText } from './schema-source';

/** The schema's source: the descriptors gogo-protobuf compiled into kubectl 1.30 (the server's version). */
const KUBECTL_130 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';

describe('k8s-schema.json', () => {
  it('is exactly what scripts/protobuf/generate-schema.ts writes from the installed kubectl.1.30', () => {
    if (!fs.existsSync(KUBECTL_130))
      throw new Error(`${KUBECTL_130} is missing: the protobuf schema is generated from its descriptors`);
    const committed = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', SCHEMA_FILE), 'utf8');
    expect(schemaText(KUBECTL_130) === committed).toBe(true);
  });

  it('holds the v1.30 kinds kubectl posts as protobuf, with gogo nullability and Go inline embedding', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', SCHEMA_FILE), 'utf8'),
    ) as { messages: Record<string, [number, string, string, number][]> };
    const field = (message: string, name: string) => schema.messages[message]?.find((f) => f[1] === name);
    // replicas is a pointer (*int32): zero is a value; minReadySeconds is plain: zero means unset.
    expect(field('k8s.io.api.apps.v1.DeploymentSpec', 'replicas')).toEqual([1, 'replicas', 'int32', 0]);
    expect(field('k8s.io.api.apps.v1.DeploymentSpec', 'minReadySeconds')).toEqual([
      5,
      'minReadySeconds',
      'int32',
      2,
    ]);
    expect(field('k8s.io.api.networking.v1.IngressRule', 'ingressRuleValue')?.[3]).toBe(6);
    expect(field('k8s.io.api.core.v1.Volume', 'volumeSource')?.[3]).toBe(6);
    // JSON names where the proto name differs in case.
    expect(field('k8s.io.api.networking.v1.IngressClassParametersReference', 'apiGroup')?.[0]).toBe(1);
    expect(field('k8s.io.api.core.v1.Secret', 'data')?.[2]).toBe('map<string,bytes>');
  });
});
