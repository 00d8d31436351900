import { K3sFlavour, kubectlArgv } from './k3s-flavour';

test('kubectl lines become argv without a shell', () => {
  expect(kubectlArgv(`kubectl label pod web-1 'team=a b' --overwrite`)).toEqual([
    'kubectl',
    'label',
    'pod',
    'web-1',
    'team=a b',
    '--overwrite',
  ]);
  expect(kubectlArgv('   ')).toEqual([]);
});

test('everything else is refused with the reason', () => {
  expect(kubectlArgv('minikube ip')).toBe(
    'minikube: command not available on k3s nodes: only kubectl lines run there (minikube and curl need the kubelab node image)',
  );
  expect(kubectlArgv('kubectl get pods | grep web')).toBe(
    'pipes are not available on k3s nodes (the kubelab node image supports them)',
  );
  expect(kubectlArgv('curl $(minikube ip):30000')).toBe(
    '$variables and $(...) are not available on k3s nodes (the kubelab node image supports them)',
  );
  expect(kubectlArgv('kubectl get pods; rm -rf /')).toMatch(/not available in this lab terminal/);
});

test('k3s nodes are privileged, share a join token and find their server by a stable alias', () => {
  const flavour = new K3sFlavour('rancher/k3s:v1.30.0-k3s1');
  const plan = { nodeCount: 2, clusterKey: 'c1', memoryBytes: 2 ** 30 };
  const server = flavour.containerSpec({ ...plan, nodeName: 'minikube', role: 'control-plane' });
  const agent = flavour.containerSpec({ ...plan, nodeName: 'minikube-m02', role: 'worker' });
  expect(server).toMatchObject({
    privileged: true,
    readonlyRootfs: false,
    user: undefined,
    networkAliases: ['kubelab-control-plane'],
  });
  expect(server.cmd?.slice(0, 2)).toEqual(['server', '--node-name=minikube']);
  expect(agent.cmd).toEqual(['agent', '--node-name=minikube-m02']);
  expect(agent.env).toEqual(['K3S_TOKEN=kubelab-c1', 'K3S_URL=https://kubelab-control-plane:6443']);
  expect(server.env).toEqual(['K3S_TOKEN=kubelab-c1']);
});
