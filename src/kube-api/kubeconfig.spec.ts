import { contextNamespaceOf, kubeconfigFileName, sessionKubeconfig, setupLines } from './kubeconfig';
import { createCluster } from '../engine';

describe('session kubeconfig', () => {
  it('names the server, the CA, the token and the namespace under the minikube context', () => {
    const text = sessionKubeconfig({
      server: 'https://127.0.0.1:6443/k8s/0a1b2c3d-0000-4000-8000-000000000000',
      token: 'klt1.x.y',
      caCert: '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n',
      namespace: 'team-a',
    });
    expect(text).toContain('    server: https://127.0.0.1:6443/k8s/0a1b2c3d-0000-4000-8000-000000000000\n');
    expect(text).toContain(
      `    certificate-authority-data: ${Buffer.from('-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n').toString('base64')}\n`,
    );
    expect(text).toContain('    namespace: team-a\n');
    expect(text).toContain('current-context: minikube\n');
    expect(text).toContain('    token: klt1.x.y\n');
  });

  it('gives set-ups that move the downloaded file into ~/.kube and point KUBECONFIG at it', () => {
    const id = '0a1b2c3d-0000-4000-8000-000000000000';
    const file = kubeconfigFileName(id);
    expect(file).toBe('kubelab-0a1b2c3d.kubeconfig');
    const setup = setupLines(id);
    expect(setup.linux).toBe(
      `mkdir -p ~/.kube && mv ~/Downloads/${file} ~/.kube/${file} && chmod 600 ~/.kube/${file} && export KUBECONFIG=~/.kube/${file} && kubectl get nodes`,
    );
    expect(setup.macos).toBe(setup.linux);
    expect(setup.windows).toContain(`$env:KUBECONFIG = "$HOME\\.kube\\${file}"`);
  });
});

describe('contextNamespaceOf', () => {
  it('reads the namespace the terminal set with kubectl config, from a real cluster snapshot', () => {
    const cluster = createCluster({ seed: 1 });
    expect(contextNamespaceOf(cluster.snapshot())).toBe('default');
    cluster.kubeconfig.update((draft) => {
      const current = draft.contexts.find((context) => context.name === draft['current-context']);
      if (current) current.context.namespace = 'yanwei';
    });
    expect(contextNamespaceOf(cluster.snapshot())).toBe('yanwei');
  });

  it('falls back to default for no snapshot, bad JSON or a name kubectl would refuse', () => {
    expect(contextNamespaceOf(null)).toBe('default');
    expect(contextNamespaceOf('{')).toBe('default');
    const bad = JSON.stringify({
      kubeconfig: { 'current-context': 'a', contexts: [{ name: 'a', context: { namespace: 'Bad Name' } }] },
    });
    expect(contextNamespaceOf(bad)).toBe('default');
  });
});
