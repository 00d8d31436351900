import { runTranscript } from '../cli/transcript-runner';

const HEADER = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

/** Runs the lines; returns each line's output by command. */
async function outputs(lines: string[]): Promise<Map<string, string>> {
  const steps = await runTranscript(lines.join('\n') + '\n');
  return new Map(steps.map((s) => [s.command, s.output]));
}

const statefulSet = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: {
    serviceName: 'db',
    replicas: 1,
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'db', image: 'nginx' }] },
    },
  },
});

describe('cluster DNS in pod shells', () => {
  it('answers busybox nslookup with the search path, NXDOMAIN as busybox prints it, and reaches services by name', async () => {
    const out = await outputs([
      'kubectl create deployment web --image=nginx',
      'kubectl expose deployment web --port=80',
      'kubectl create service clusterip db --clusterip=None',
      `echo '${statefulSet}' | kubectl apply -f -`,
      'kubectl run box --image=busybox:1.36 -- sleep 3600',
      '# advance 40s',
      "kubectl get svc web -o jsonpath='{.spec.clusterIP}'",
      "kubectl get pod db-0 -o jsonpath='{.status.podIP}'",
      'kubectl exec box -- nslookup web',
      'kubectl exec box -- nslookup web.default',
      'kubectl exec box -- nslookup web.default.svc.cluster.local',
      'kubectl exec box -- nslookup db.default.svc.cluster.local',
      'kubectl exec box -- nslookup db-0.db.default.svc.cluster.local',
      'kubectl exec box -- nslookup kube-dns.kube-system.svc.cluster.local',
      'kubectl exec box -- wget -qO- http://web.default.svc.cluster.local',
      'kubectl exec box -- wget -qO- http://web.default',
      'kubectl exec box -- wget -qO- http://db-0.db',
      'kubectl exec box -- wget -qO- http://nope',
    ]);
    const ip = out.get("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")!;
    const dbIp = out.get("kubectl get pod db-0 -o jsonpath='{.status.podIP}'")!;
    const found = (name: string, address: string) => `Name:\t${name}\nAddress: ${address}\n\n`;
    const nx = (name: string) => `** server can't find ${name}: NXDOMAIN\n\n`;
    expect(out.get('kubectl exec box -- nslookup web')).toBe(
      HEADER +
        found('web.default.svc.cluster.local', ip) +
        nx('web.svc.cluster.local') +
        nx('web.cluster.local') +
        nx('web.svc.cluster.local') +
        nx('web.cluster.local') +
        'command terminated with exit code 1\n',
    );
    expect(out.get('kubectl exec box -- nslookup web.default')).toBe(
      HEADER + nx('web.default') + nx('web.default') + 'command terminated with exit code 1\n',
    );
    expect(out.get('kubectl exec box -- nslookup web.default.svc.cluster.local')).toBe(
      HEADER + found('web.default.svc.cluster.local', ip),
    );
    expect(out.get('kubectl exec box -- nslookup db.default.svc.cluster.local')).toBe(
      HEADER + found('db.default.svc.cluster.local', dbIp),
    );
    expect(out.get('kubectl exec box -- nslookup db-0.db.default.svc.cluster.local')).toBe(
      HEADER + found('db-0.db.default.svc.cluster.local', dbIp),
    );
    expect(out.get('kubectl exec box -- nslookup kube-dns.kube-system.svc.cluster.local')).toBe(
      HEADER + found('kube-dns.kube-system.svc.cluster.local', '10.96.0.10'),
    );
    expect(out.get('kubectl exec box -- wget -qO- http://web.default.svc.cluster.local')).toContain(
      '<title>Welcome to nginx!</title>',
    );
    expect(out.get('kubectl exec box -- wget -qO- http://web.default')).toContain(
      '<title>Welcome to nginx!</title>',
    );
    expect(out.get('kubectl exec box -- wget -qO- http://db-0.db')).toContain(
      '<title>Welcome to nginx!</title>',
    );
    expect(out.get('kubectl exec box -- wget -qO- http://nope')).toBe(
      "wget: bad address 'nope'\ncommand terminated with exit code 1\n",
    );
  });
});
