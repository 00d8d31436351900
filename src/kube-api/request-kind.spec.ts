import { attributesOf, classifyRequest } from './request-kind';

const q = (query = '') => new URLSearchParams(query);

describe('classifyRequest', () => {
  it('tells reads, watches, streams and mutations apart', () => {
    expect(classifyRequest('GET', '/api/v1/namespaces/default/pods', q()).kind).toBe('read');
    expect(classifyRequest('GET', '/apis', q()).kind).toBe('read');
    expect(classifyRequest('GET', '/api/v1/namespaces/default/pods', q('watch=1')).kind).toBe('watch');
    expect(classifyRequest('GET', '/api/v1/namespaces/default/pods/web/log', q('follow=true')).kind).toBe(
      'stream',
    );
    expect(classifyRequest('GET', '/api/v1/namespaces/default/pods/web/log', q()).kind).toBe('read');
    expect(classifyRequest('POST', '/api/v1/namespaces/default/pods/web/exec', q('command=ls')).kind).toBe(
      'stream',
    );
    expect(classifyRequest('POST', '/api/v1/namespaces/default/pods/web/portforward', q()).kind).toBe(
      'stream',
    );
    expect(classifyRequest('POST', '/apis/apps/v1/namespaces/default/deployments', q()).kind).toBe(
      'mutation',
    );
    expect(classifyRequest('PATCH', '/api/v1/namespaces/default/pods/web', q()).kind).toBe('mutation');
    expect(classifyRequest('DELETE', '/api/v1/namespaces/default/pods', q()).kind).toBe('mutation');
  });

  it('counts reviews and server-side dry runs as reads', () => {
    const review = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    expect(classifyRequest('POST', review, q()).kind).toBe('read');
    expect(classifyRequest('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', q()).kind).toBe(
      'read',
    );
    expect(classifyRequest('POST', '/api/v1/namespaces/default/configmaps', q('dryRun=All')).kind).toBe(
      'read',
    );
  });
});

describe('attributesOf', () => {
  it('gives RequestInfo attributes as the API server derives them', () => {
    expect(attributesOf('POST', '/apis/apps/v1/namespaces/team/deployments', q())).toEqual({
      verb: 'create',
      resource: 'deployments',
      group: 'apps',
      namespace: 'team',
      name: undefined,
      subresource: undefined,
    });
    expect(attributesOf('GET', '/api/v1/namespaces/team/pods', q('watch=true')).verb).toBe('watch');
    expect(attributesOf('GET', '/api/v1/nodes/minikube', q())).toMatchObject({
      verb: 'get',
      resource: 'nodes',
    });
    expect(attributesOf('DELETE', '/api/v1/namespaces/team', q())).toMatchObject({
      verb: 'delete',
      resource: 'namespaces',
      name: 'team',
      namespace: 'team',
    });
    expect(attributesOf('POST', '/api/v1/namespaces/team/pods/web/exec', q())).toMatchObject({
      verb: 'create',
      subresource: 'exec',
    });
    expect(attributesOf('GET', '/version', q())).toEqual({
      verb: 'get',
      resource: '',
      group: '',
      nonResourceURL: '/version',
    });
  });
});
