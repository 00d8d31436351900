import {
  assertUsableClusterId,
  containerName,
  identityOf,
  nodeNames,
  warmingIdentity,
} from './cluster-names';

test('node names follow minikube', () => {
  expect(nodeNames(3)).toEqual(['minikube', 'minikube-m02', 'minikube-m03']);
});

test('a container name reads back as the identity it was written with', () => {
  expect(identityOf(containerName('c1.x', 'minikube-m02'), 'minikube-m02')).toEqual({
    state: 'assigned',
    clusterId: 'c1.x',
  });
  expect(identityOf(containerName('pool-ab12', 'minikube'), 'minikube')).toEqual({
    state: 'pooled',
    poolKey: 'pool-ab12',
  });
  expect(identityOf(containerName(warmingIdentity('pool-ab12'), 'minikube'), 'minikube')).toEqual({
    state: 'warming',
    poolKey: 'pool-ab12',
  });
  expect(identityOf('someone-else', 'minikube')).toBeUndefined();
  expect(identityOf('kubelab-c1-minikube', 'minikube-m02')).toBeUndefined();
});

test('cluster ids must fit Docker names and stay clear of the pool prefixes', () => {
  expect(() => assertUsableClusterId('cm3x9q2-a_b.c')).not.toThrow();
  expect(() => assertUsableClusterId('')).toThrow(/must be 1-63 letters/);
  expect(() => assertUsableClusterId('a/b')).toThrow(/must be 1-63 letters/);
  expect(() => assertUsableClusterId('x'.repeat(64))).toThrow(/must be 1-63 letters/);
  expect(() => assertUsableClusterId('warming-1')).toThrow(
    'cluster id "warming-1": the prefixes pool- and warming- are reserved',
  );
});
