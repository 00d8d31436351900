import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { impersonated } from '../server/rbac';
import { ApiHandler } from './handler';

/** engine serve's field validation, RBAC (served user, impersonation) and review APIs, on the wire. */
describe('engine serve: fieldValidation, RBAC and reviews', () => {
  const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  const admin = new ApiHandler({ cluster, address: () => '127.0.0.1:0' });
  const asJane = new ApiHandler({ cluster, address: () => '127.0.0.1:0', user: impersonated('jane') });
  const servers = [http.createServer(admin.handle), http.createServer(asJane.handle)];
  const ports: number[] = [];

  beforeAll(async () => {
    for (const server of servers) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      ports.push((server.address() as AddressInfo).port);
    }
  });
  afterAll(async () => {
    admin.close();
    asJane.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  interface Reply {
    code: number;
    json: Record<string, unknown>;
    warnings: string[];
  }

  function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string | string[]> = {},
    port = ports[0],
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            code: res.statusCode ?? 0,
            json: JSON.parse(text) as Record<string, unknown>,
            warnings: res.headersDistinct?.warning ?? [],
          }),
        );
      });
      req.on('error', reject);
      req.end(body === undefined || typeof body === 'string' ? body : JSON.stringify(body));
    });
  }

  const typo = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicaz: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicyy: 'Always' }] },
      },
    },
  });
  const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

  it('refuses unknown fields under Strict with the decoder message', async () => {
    const res = await call('POST', `${DEPLOYMENTS}?fieldValidation=Strict`, typo('strict'));
    expect(res.code).toBe(400);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz", unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('warns (the default) or ignores, and drops the unknown fields either way', async () => {
    const warned = await call('POST', DEPLOYMENTS, typo('warned'));
    expect(warned.code).toBe(201);
    expect(warned.warnings).toEqual([
      '299 - "unknown field \\"spec.replicaz\\""',
      '299 - "unknown field \\"spec.template.spec.containers[0].imagePullPolicyy\\""',
    ]);
    expect(warned.json.spec).not.toHaveProperty('replicaz');
    const ignored = await call('POST', `${DEPLOYMENTS}?fieldValidation=Ignore`, typo('ignored'));
    expect(ignored).toMatchObject({ code: 201, warnings: [] });
    const patched = await call(
      'PATCH',
      `${DEPLOYMENTS}/ignored?fieldValidation=Strict`,
      { spec: { replicaz: 3 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(patched.json).toMatchObject({
      code: 400,
      message: 'strict decoding error: unknown field "spec.replicaz"',
    });
    const bad = await call('POST', `${DEPLOYMENTS}?fieldValidation=Loose`, typo('x'));
    expect(bad.json).toMatchObject({
      code: 400,
      message: 'fieldValidation must be one of "Ignore", "Warn", or "Strict", but got "Loose"',
    });
  });

  it('reports duplicate fields of a JSON body with the unknown ones, in document order', async () => {
    const text =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"datta":{},"data":{"a":"1","a":"2"}}';
    const strict = await call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', text);
    expect(strict.json.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta", duplicate field "data.a"',
    );
    const warned = await call('POST', '/api/v1/namespaces/default/configmaps', text);
    expect(warned.warnings).toEqual([
      '299 - "unknown field \\"datta\\""',
      '299 - "duplicate field \\"data.a\\""',
    ]);
    // The last value wins, as in the API server's decoder.
    expect(warned.json.data).toEqual({ a: '2' });
  });

  it('authorises every request for the served user and for Impersonate-User', async () => {
    const denied = await call('GET', '/api/v1/namespaces/default/pods', undefined, {}, ports[1]);
    expect(denied).toMatchObject({
      code: 403,
      json: {
        reason: 'Forbidden',
        message:
          'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
        details: { kind: 'pods' },
      },
    });
    // Discovery is every authenticated user's (system:discovery).
    expect((await call('GET', '/version', undefined, {}, ports[1])).code).toBe(200);
    const impersonating = { 'Impersonate-User': 'system:serviceaccount:default:default' };
    const node = await call('GET', '/api/v1/nodes/minikube', undefined, impersonating);
    expect(node.json.message).toBe(
      'nodes "minikube" is forbidden: User "system:serviceaccount:default:default" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    const grouped = { 'Impersonate-User': 'bob', 'Impersonate-Group': ['system:masters'] };
    expect((await call('GET', '/api/v1/nodes/minikube', undefined, grouped)).code).toBe(200);
    // jane may not impersonate anyone.
    const climb = await call('GET', '/version', undefined, { 'Impersonate-User': 'admin' }, ports[1]);
    expect(climb.json.message).toBe(
      'users "admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('answers access and rules reviews from the same authorizer', async () => {
    const ssar = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
    });
    expect(ssar.code).toBe(201);
    expect(ssar.json.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    const sar = await call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: { user: 'jane', nonResourceAttributes: { path: '/healthz', verb: 'get' } },
    });
    // A SubjectAccessReview takes the groups it is given: jane without system:authenticated has no binding.
    expect(sar.json.status).toEqual({ allowed: false });
    const janes = await call(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      },
      {},
      ports[1],
    );
    expect(janes.json.status).toMatchObject({ allowed: true });
    const whoami = await call(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' },
      {},
      ports[1],
    );
    expect(whoami.json.status).toEqual({
      userInfo: { username: 'jane', groups: ['system:authenticated'] },
    });
  });
});
