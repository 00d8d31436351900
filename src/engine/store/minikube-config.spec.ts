import type { ConfigMap } from '../api/types';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { LabTerminal } from '../terminal';

async function run(terminal: LabTerminal, line: string): Promise<string> {
  let out = '';
  await terminal.run(line, { stdout: (c) => (out += c), stderr: (c) => (out += c) });
  return out;
}

describe('kube-system configuration of a fresh minikube', () => {
  it('lists the ConfigMaps kubeadm, the API server and the addons leave, aged from the boot', async () => {
    const terminal = new LabTerminal(
      createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15)) }),
    );
    expect(await run(terminal, 'kubectl get cm -n kube-system')).toBe(
      [
        'NAME                                                   DATA   AGE',
        'coredns                                                1      82s',
        'extension-apiserver-authentication                     6      90s',
        'kube-apiserver-legacy-service-account-token-tracking   1      90s',
        'kube-proxy                                             2      82s',
        'kube-root-ca.crt                                       1      90s',
        'kubeadm-config                                         1      86s',
        'kubelet-config                                         1      86s',
        '',
      ].join('\n'),
    );
    expect(await run(terminal, 'kubectl get cm -n kube-public')).toBe(
      [
        'NAME               DATA   AGE',
        'cluster-info       2      85s',
        'kube-root-ca.crt   1      90s',
        '',
      ].join('\n'),
    );
    expect(await run(terminal, 'kubectl get sa -n kube-system --no-headers | wc -l')).toBe('37\n');
  });

  it('shares the configuration data between clusters and dates the token tracking by each boot', () => {
    const at = (ms: number) => createCluster({ seed: 2, clock: new ManualClock(ms) });
    const first = at(Date.UTC(2024, 5, 3, 2, 15));
    const second = at(Date.UTC(2025, 0, 1, 0, 0, 30));
    // The stored objects (the API hands out copies): one frozen literal of the boot image, not a copy per cluster.
    const coredns = (c: typeof first) => c.store.get<ConfigMap>('configmaps', 'kube-system', 'coredns')!;
    expect(coredns(second).data).toBe(coredns(first).data);
    expect(Object.isFrozen(coredns(first).data)).toBe(true);
    const since = (c: typeof first) =>
      c.api.get<ConfigMap>(
        'configmaps',
        'kube-system',
        'kube-apiserver-legacy-service-account-token-tracking',
      ).data;
    expect(since(first)).toEqual({ since: '2024-06-03' });
    // Booted 90 s before 2025-01-01T00:00:30Z: the day before.
    expect(since(second)).toEqual({ since: '2024-12-31' });
  });
});
