import { kubectlArgv } from './k3s-flavour';

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
