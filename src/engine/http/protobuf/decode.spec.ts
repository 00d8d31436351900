import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeBody } from '../body';
import { HttpStatus } from '../status';
import { decodeProtobufBody, goDuration, PROTOBUF_PREFIX, ProtobufDecodeError } from './decode';

/** Captured by scripts/protobuf/capture-fixtures.ts from real kubectl 1.32 and 1.33 (never written by hand). */
interface Fixture {
  version: string;
  command: string;
  path: string;
  body: string;
  json131: unknown;
}
const DIR = path.join(__dirname, 'fixtures');
const fixtures: Fixture[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Fixture);

/**
 * kubectl 1.31's JSON body, as the decoder's output should read: the objects' names carry the version (web-131
 * against web-132). Inside `status` (the server's to write) JSON also carries the zero values of scalars without
 * omitempty (`token: ""`, `currentReplicas: 0`), which protobuf cannot tell from unset ones; they are left out.
 * JSON writes nil slices and pointers without omitempty as null (`rules: null`), protobuf leaves them out: nulls are
 * left out of both sides (a zero Time's null has a test of its own below).
 */
function expected(json: unknown, version: string): unknown {
  const suffix = version.replace('.', '');
  const strip = (v: unknown, inStatus: boolean): unknown => {
    if (typeof v === 'string') return v.replace(/131/g, suffix);
    if (Array.isArray(v)) return v.map((item) => strip(item, inStatus));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, value] of Object.entries(v)) {
      const s = strip(value, inStatus || k === 'status');
      if (s === null || (inStatus && (s === '' || s === 0 || s === false))) continue;
      out[k] = s;
    }
    return out;
  };
  return strip(json, false);
}

describe('protobuf request bodies of real kubectl', () => {
  it('has bodies of both protobuf-sending versions for every generator, autoscale, create token and the reviews', () => {
    const commands = (version: string) =>
      new Set(fixtures.filter((f) => f.version === version).map((f) => f.command));
    for (const version of ['1.32', '1.33']) {
      const seen = commands(version);
      for (const command of [
        'create-deployment',
        'create-job',
        'create-cronjob',
        'create-service-clusterip',
        'create-service-nodeport',
        'create-service-loadbalancer',
        'create-service-externalname',
        'create-configmap',
        'create-secret-generic',
        'create-secret-tls',
        'create-secret-docker-registry',
        'create-namespace',
        'create-serviceaccount',
        'create-role',
        'create-rolebinding',
        'create-clusterrole',
        'create-clusterrolebinding',
        'create-quota',
        'create-priorityclass',
        'create-poddisruptionbudget',
        'create-ingress',
        'create-token',
        'autoscale',
        'auth-can-i',
        'auth-whoami',
      ])
        expect([version, seen.has(command)]).toEqual([version, true]);
    }
  });

  // kubectl 1.33's autoscale creates an autoscaling/v2 HPA (1.31 and 1.32 post autoscaling/v1): no JSON twin.
  const twinned = fixtures.filter((f) => !(f.version === '1.33' && f.command === 'autoscale'));
  it.each(twinned.map((f) => [`${f.version} ${f.command}`, f] as const))(
    '%s decodes to the object kubectl 1.31 sent as JSON',
    (_name, fixture) => {
      expect(fixture.json131).not.toBeNull();
      const body = Buffer.from(fixture.body, 'base64');
      expect(expected(decodeBody(body, 'application/vnd.kubernetes.protobuf'), fixture.version)).toEqual(
        expected(fixture.json131, fixture.version),
      );
    },
  );

  it('decodes kubectl 1.33 autoscale as an autoscaling/v2 HorizontalPodAutoscaler', () => {
    const fixture = fixtures.find((f) => f.version === '1.33' && f.command === 'autoscale')!;
    expect(fixture.path).toMatch(/^\/apis\/autoscaling\/v2\//);
    expect(decodeProtobufBody(Buffer.from(fixture.body, 'base64'))).toEqual({
      kind: 'HorizontalPodAutoscaler',
      apiVersion: 'autoscaling/v2',
      metadata: { name: 'web-133', creationTimestamp: null },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web-133', apiVersion: 'apps/v1' },
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
      status: {},
    });
  });

  it('keeps a pointer field at zero (replicas: 0), drops plain zero scalars, writes a zero Time as null', () => {
    const fixture = fixtures.find((f) => f.version === '1.33' && f.command === 'create-deployment-zero')!;
    const decoded = decodeProtobufBody(Buffer.from(fixture.body, 'base64')) as {
      spec: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    expect(decoded.spec.replicas).toBe(0);
    expect(decoded.spec).not.toHaveProperty('minReadySeconds');
    expect(decoded.spec).not.toHaveProperty('paused');
    expect(decoded.metadata.creationTimestamp).toBeNull();
    expect(Object.keys(decoded).slice(0, 2)).toEqual(['kind', 'apiVersion']);
  });

  it('turns an Ingress rule inline (host and http, no ingressRuleValue) and IntOrString ports into numbers or names', () => {
    const ingress = fixtures.find((f) => f.version === '1.32' && f.command === 'create-ingress')!;
    const decoded = decodeProtobufBody(Buffer.from(ingress.body, 'base64')) as {
      spec: { rules: Record<string, unknown>[] };
    };
    expect(Object.keys(decoded.spec.rules[0])).toEqual(['host', 'http']);
    const service = fixtures.find((f) => f.version === '1.32' && f.command === 'create-service-clusterip')!;
    const ports = (decodeProtobufBody(Buffer.from(service.body, 'base64')) as { spec: { ports: unknown[] } })
      .spec.ports;
    expect(ports).toEqual([
      { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
      { name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' },
    ]);
  });

  it('keeps Secret data as base64, as JSON carries bytes', () => {
    const fixture = fixtures.find((f) => f.version === '1.32' && f.command === 'create-secret-generic')!;
    const decoded = decodeProtobufBody(Buffer.from(fixture.body, 'base64')) as {
      data: Record<string, string>;
    };
    expect(Buffer.from(decoded.data.a, 'base64').toString()).toBe('b');
    expect(Buffer.from(decoded.data['data.txt'], 'base64').toString()).toBe('file contents\n');
  });
});

describe('bad protobuf bodies', () => {
  const deployment = Buffer.from(
    fixtures.find((f) => f.version === '1.32' && f.command === 'create-deployment')!.body,
    'base64',
  );
  const answer = (body: Buffer): { code: number; reason: string; message: string } => {
    try {
      decodeBody(body, 'application/vnd.kubernetes.protobuf');
    } catch (error) {
      if (error instanceof HttpStatus)
        return { code: error.code, reason: error.reason, message: error.message };
      throw error;
    }
    throw new Error('the body was accepted');
  };

  it('answers a body without the k8s\\0 prefix with 400 and the decoder text', () => {
    expect(answer(Buffer.from('{"kind":"Pod"}'))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message:
        'the object provided is unrecognized: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (7b226b696e64223a22506f64227d)',
    });
  });

  it('answers an empty body, and a prefix alone, with 400', () => {
    expect(answer(Buffer.alloc(0)).message).toBe('the request body is empty');
    expect(answer(PROTOBUF_PREFIX).message).toBe(
      'the object provided is unrecognized: empty body (6b387300)',
    );
  });

  it('answers a truncated envelope with unexpected EOF and the first bytes', () => {
    expect(answer(deployment.subarray(0, deployment.length - 5))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message:
        'the object provided is unrecognized: unexpected EOF (6b3873000a150a07617070732f7631120a4465706c6f796d656e7412cd01 ...)',
    });
  });

  it('answers a truncated object inside a whole envelope with its kind and unexpected EOF', () => {
    // Deployment{metadata (1): 5 bytes announced, 1 given}.
    const raw = Buffer.from([0x0a, 0x05, 0x0a]);
    const typeMeta = Buffer.from([
      0x0a,
      0x07,
      ...Buffer.from('apps/v1'),
      0x12,
      0x0a,
      ...Buffer.from('Deployment'),
    ]);
    const unknown = Buffer.from([0x0a, typeMeta.length, ...typeMeta, 0x12, raw.length, ...raw]);
    expect(answer(Buffer.concat([PROTOBUF_PREFIX, unknown])).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: unexpected EOF',
    );
  });

  it('answers a kind the schema does not have', () => {
    const body = Buffer.concat([
      PROTOBUF_PREFIX,
      Buffer.from([0x0a, 0x0d, 0x0a, 0x06]),
      Buffer.from('apps/v'),
      Buffer.from([0x12, 0x03]),
      Buffer.from('Foo'),
    ]);
    expect(answer(body).message).toBe(
      'Foo in version "v" cannot be handled as a Foo: no kind "Foo" is registered for version "apps/v"',
    );
  });

  it('answers a field of the wrong wire type', () => {
    // Deployment{spec (2): a varint instead of a message}.
    const unknown = Buffer.from([
      0x0a,
      0x15,
      0x0a,
      0x07,
      ...Buffer.from('apps/v1'),
      0x12,
      0x0a,
      ...Buffer.from('Deployment'),
      0x12,
      0x02,
      0x10,
      0x01,
    ]);
    expect(() => decodeProtobufBody(Buffer.concat([PROTOBUF_PREFIX, unknown]))).toThrow(ProtobufDecodeError);
    expect(answer(Buffer.concat([PROTOBUF_PREFIX, unknown])).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: proto: wrong wireType = 0 for field 2 (k8s.io.api.apps.v1.DeploymentSpec)',
    );
  });

  it('answers random bytes after the prefix with 400, never an exception of another kind', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    for (let i = 0; i < 300; i++) {
      const body = Buffer.concat([
        PROTOBUF_PREFIX,
        Buffer.from(Array.from({ length: 1 + (i % 60) }, random)),
      ]);
      try {
        decodeBody(body, 'application/vnd.kubernetes.protobuf');
      } catch (error) {
        expect(error).toBeInstanceOf(HttpStatus);
        expect((error as HttpStatus).code).toBe(400);
      }
    }
  });

  it('still answers other protobuf media types with 415', () => {
    expect(() => decodeBody(deployment, 'application/x-protobuf')).toThrow(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });
});

describe('goDuration', () => {
  it.each([
    [0n, '0s'],
    [1_500_000_000n, '1.5s'],
    [3_600_000_000_000n, '1h0m0s'],
    [90_000_000_000n, '1m30s'],
    [500_000_000n, '500ms'],
    [1_500n, '1.5µs'],
    [-2_000_000_000n, '-2s'],
  ])('%s ns is %s', (ns, text) => expect(goDuration(ns)).toBe(text));
});
