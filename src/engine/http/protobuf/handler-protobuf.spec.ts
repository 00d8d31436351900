/**
 * Protobuf bodies through the whole ApiHandler (the path `engine serve` and the platform share): each captured
 * kubectl 1.32/1.33 body stores the same object as kubectl 1.31's JSON body for the same command does on a twin
 * cluster, and bad bodies are answered with a Status while the server keeps serving.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ManualClock } from '../../clock/clock';
import { createCluster } from '../../cluster';
import { ApiHandler } from '../handler';

interface Fixture {
  version: string;
  command: string;
  method: string;
  path: string;
  body: string;
  json131: unknown;
}
const DIR = path.join(__dirname, 'fixtures');
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Fixture;

/** One engine cluster behind its own ApiHandler on 127.0.0.1. */
class Server {
  readonly cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  private readonly handler = new ApiHandler({ cluster: this.cluster, address: () => '127.0.0.1:0' });
  private readonly server = http.createServer(this.handler.handle);

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.handler.close();
    await new Promise((resolve) => this.server.close(resolve));
  }

  call(
    method: string,
    url: string,
    body: Buffer,
    type: string,
  ): Promise<{ code: number; json: Record<string, unknown> }> {
    const { port } = this.server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method, path: url, headers: { 'Content-Type': type } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ code: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** A stored object without what differs by name only (the fixtures' names carry the kubectl version). */
const comparable = (object: unknown, suffix: string) =>
  JSON.parse(JSON.stringify(object).replace(new RegExp(suffix, 'g'), 'N')) as unknown;

describe('protobuf bodies through ApiHandler', () => {
  const protobuf = new Server();
  const json = new Server();
  beforeAll(() => Promise.all([protobuf.start(), json.start()]));
  afterAll(() => Promise.all([protobuf.stop(), json.stop()]));

  // The generators of one version, in the order kubectl ran them (a role before its binding).
  const order = [
    'create-namespace',
    'create-deployment',
    'create-deployment-zero',
    'create-job',
    'create-cronjob',
    'create-service-clusterip',
    'create-service-clusterip-headless',
    'create-service-nodeport',
    'create-service-loadbalancer',
    'create-service-externalname',
    'create-configmap',
    'create-secret-generic',
    'create-secret-tls',
    'create-secret-docker-registry',
    'create-serviceaccount',
    'create-role',
    'create-rolebinding',
    'create-clusterrole',
    'create-clusterrole-plain',
    'create-clusterrolebinding',
    'create-quota',
    'create-priorityclass',
    'create-poddisruptionbudget',
    'create-poddisruptionbudget-percent',
    'create-ingress',
  ];

  it.each(order)('1.32 %s stores what 1.31 JSON stores', async (command) => {
    const fixture = load(`132-${command}.json`);
    const answer = await protobuf.call(
      fixture.method,
      fixture.path,
      Buffer.from(fixture.body, 'base64'),
      'application/vnd.kubernetes.protobuf',
    );
    const twin = await json.call(
      fixture.method,
      fixture.path.replace(/132/g, '131'),
      Buffer.from(JSON.stringify(fixture.json131)),
      'application/json',
    );
    expect(answer.code).toBe(201);
    expect(twin.code).toBe(201);
    expect(comparable(answer.json, '132')).toEqual(comparable(twin.json, '131'));
  });

  it('answers a bad protobuf body with a 400 Status and keeps serving', async () => {
    const bad = await protobuf.call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff]),
      'application/vnd.kubernetes.protobuf',
    );
    expect(bad.code).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest' });
    expect(bad.json.message).toBe('the object provided is unrecognized: unexpected EOF (6b387300ff)');
    const fixture = load('133-create-configmap.json');
    const good = await protobuf.call(
      fixture.method,
      fixture.path,
      Buffer.from(fixture.body, 'base64'),
      'application/vnd.kubernetes.protobuf',
    );
    expect(good.code).toBe(201);
  });

  it('still refuses a body over the size limit before decoding it', async () => {
    const big = Buffer.concat([Buffer.from('k8s\u0000'), Buffer.alloc(1024 * 1024 + 1)]);
    const answer = await protobuf.call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      big,
      'application/vnd.kubernetes.protobuf',
    );
    expect(answer.code).toBe(413);
  });
});
