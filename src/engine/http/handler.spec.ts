import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { ApiHandler } from './handler';

/** Polls `condition` every 10 ms for up to 5 s (a loaded machine delivers socket events late). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ApiHandler (engine serve)', () => {
  const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  const handler = new ApiHandler({ cluster, address: () => '127.0.0.1:0' });
  const server = http.createServer(handler.handle);
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    handler.close();
    await new Promise((resolve) => server.close(resolve));
  });

  function call(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ code: number; json: Record<string, unknown>; type: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            code: res.statusCode ?? 0,
            json: JSON.parse(text) as Record<string, unknown>,
            type: String(res.headers['content-type']),
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const cm = (name: string, data: Record<string, string> = { a: '1' }) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

  it('serves the version and aggregated discovery', async () => {
    expect((await call('GET', '/version')).json.gitVersion).toBe('v1.30.0');
    const apis = await call('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(apis.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect((apis.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toContain(
      'apps',
    );
  });

  it('answers malformed JSON and YAML with a 400 Status, and the server keeps serving', async () => {
    const bad = await call('POST', '/api/v1/namespaces/default/configmaps', '{"kind":', {
      'Content-Type': 'application/json',
    });
    expect(bad).toMatchObject({ code: 400, json: { kind: 'Status', reason: 'BadRequest', code: 400 } });
    const yaml = await call('POST', '/api/v1/namespaces/default/configmaps', 'kind: [', {
      'Content-Type': 'application/yaml',
    });
    expect(yaml).toMatchObject({ code: 400, json: { reason: 'BadRequest' } });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).code).toBe(200);
  });

  it('refuses bodies over 1 MiB', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', big, {
      'Content-Type': 'application/json',
    });
    expect(res).toMatchObject({ code: 413, json: { reason: 'RequestEntityTooLarge' } });
  });

  it('creates, conflicts, patches three ways and deletes', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('c1'));
    expect(created.code).toBe(201);
    const again = await call('POST', '/api/v1/namespaces/default/configmaps', cm('c1'));
    expect(again.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "c1" already exists',
      code: 409,
    });
    const rv = (created.json.metadata as { resourceVersion: string }).resourceVersion;
    const merge = await call('PATCH', '/api/v1/namespaces/default/configmaps/c1', '{"data":{"b":"2"}}', {
      'Content-Type': 'application/merge-patch+json',
    });
    expect(merge.json.data).toEqual({ a: '1', b: '2' });
    const stale = await call(
      'PUT',
      '/api/v1/namespaces/default/configmaps/c1',
      JSON.stringify({ ...JSON.parse(cm('c1')), metadata: { name: 'c1', resourceVersion: rv } }),
    );
    expect(stale.json).toMatchObject({ reason: 'Conflict', code: 409 });
    const json = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/c1',
      '[{"op":"remove","path":"/data/a"}]',
      {
        'Content-Type': 'application/json-patch+json',
      },
    );
    expect(json.json.data).toEqual({ b: '2' });
    const dry = await call('DELETE', '/api/v1/namespaces/default/configmaps/c1?dryRun=All');
    expect(dry.code).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/c1')).code).toBe(200);
    expect((await call('DELETE', '/api/v1/namespaces/default/configmaps/c1')).code).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/c1')).json).toMatchObject({
      reason: 'NotFound',
      details: { name: 'c1', kind: 'configmaps' },
    });
  });

  it('merges containers by name in a strategic merge patch and serves scale', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
        },
      },
    };
    expect(
      (await call('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify(deployment))).code,
    ).toBe(201);
    const smp = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web',
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}',
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    const containers = (smp.json.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers;
    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.28',
      imagePullPolicy: 'IfNotPresent',
    });
    const scale = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      '{"spec":{"replicas":3}}',
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 3 },
      status: { selector: 'app=web' },
    });
  });

  it('answers an invalid object with 422 and its causes', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', cm('Bad_Name'));
    expect(res.code).toBe(422);
    expect(res.json).toMatchObject({ reason: 'Invalid', details: { name: 'Bad_Name', kind: 'ConfigMap' } });
    expect((res.json.details as { causes: { field: string }[] }).causes[0].field).toBe('metadata.name');
  });

  it('answers unknown paths and kinds in the body with Status errors', async () => {
    expect((await call('GET', '/api/v1/namespaces/default/widgets')).json).toMatchObject({ code: 404 });
    const wrong = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"apiVersion":"v1","kind":"Widget"}',
    );
    expect(wrong.json).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('serves a Table with priority-1 wide columns', async () => {
    const res = await call('GET', '/api/v1/namespaces/kube-system/pods', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    const columns = res.json.columnDefinitions as { name: string; priority: number; format: string }[];
    expect(columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(columns[0].format).toBe('name');
    expect((res.json.rows as unknown[]).length).toBeGreaterThan(0);
  });

  it('streams watch events and forgets a watch whose client went away', async () => {
    const events: string[] = [];
    const req = http.get({
      host: '127.0.0.1',
      port,
      path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${cluster.revision}`,
    });
    const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    res.on('data', (c: Buffer) => events.push(...c.toString().trim().split('\n')));
    expect(handler.watches.count).toBe(1);
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('w1'));
    await call('DELETE', '/api/v1/namespaces/default/configmaps/w1');
    await until(() => events.length >= 2);
    expect(events.map((e) => (JSON.parse(e) as { type: string }).type)).toEqual(['ADDED', 'DELETED']);
    req.destroy();
    await until(() => handler.watches.count === 0);
    expect(handler.watches.count).toBe(0);
  });
});
