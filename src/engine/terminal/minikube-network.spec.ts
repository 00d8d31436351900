import { runTranscript } from '../cli/transcript-runner';
import { renderTable } from '../addons/table';
import { tunnelStatus } from './minikube-network';

/** The output of each line of a transcript, by its command. */
async function outputs(lines: string[]): Promise<Map<string, string>> {
  const steps = await runTranscript(lines.join('\n') + '\n');
  return new Map(steps.map((s) => [s.command, s.output]));
}

describe('minikube service and tunnel', () => {
  it('lays out minikube tables: centred headers, numbers right, text left', () => {
    expect(
      renderTable(
        ['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'],
        [['default', 'web', '8080', 'http://192.168.49.2:31234']],
      ),
    ).toBe(
      '|-----------|------|-------------|---------------------------|\n' +
        '| NAMESPACE | NAME | TARGET PORT |            URL            |\n' +
        '|-----------|------|-------------|---------------------------|\n' +
        '| default   | web  |        8080 | http://192.168.49.2:31234 |\n' +
        '|-----------|------|-------------|---------------------------|\n',
    );
  });

  it('prints NodePort URLs, the table, and the errors for unknown and ClusterIP services', async () => {
    const out = await outputs([
      `echo '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"port":8080,"nodePort":31234}]}}' | kubectl apply -f -`,
      'kubectl create service clusterip inner --tcp=80',
      'minikube service web --url',
      'minikube service web',
      'minikube service inner --url',
      'minikube service nope',
    ]);
    expect(out.get('minikube service web --url')).toBe('http://192.168.49.2:31234\n');
    expect(out.get('minikube service web')).toBe(
      '|-----------|------|-------------|---------------------------|\n' +
        '| NAMESPACE | NAME | TARGET PORT |            URL            |\n' +
        '|-----------|------|-------------|---------------------------|\n' +
        '| default   | web  |        8080 | http://192.168.49.2:31234 |\n' +
        '|-----------|------|-------------|---------------------------|\n' +
        '🎉  Opening service default/web in default browser...\n👉  http://192.168.49.2:31234\n',
    );
    expect(out.get('minikube service inner --url')).toBe('😿  service default/inner has no node port\n');
    expect(out.get('minikube service nope')).toBe(
      "\n❌  Exiting due to SVC_NOT_FOUND: Service 'nope' was not found in 'default' namespace.\n" +
        "You may select another namespace by using 'minikube service nope -n <namespace>'. Or list out all the services using 'minikube service list'\n\n",
    );
  });

  it('lists every Service: one line per node port, and only three cells where there is none', async () => {
    const out = await outputs([
      `echo '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"name":"http","port":80,"nodePort":31234},{"name":"https","port":443,"nodePort":31443}]}}' | kubectl apply -f -`,
      'minikube service list',
    ]);
    expect(out.get('minikube service list')).toBe(
      '|-------------|------------|--------------|---------------------------|\n' +
        '|  NAMESPACE  |    NAME    | TARGET PORT  |            URL            |\n' +
        '|-------------|------------|--------------|---------------------------|\n' +
        '| default     | kubernetes | No node port |\n' +
        '| default     | web        | http/80      | http://192.168.49.2:31234 |\n' +
        '|             |            | https/443    | http://192.168.49.2:31443 |\n' +
        '| kube-system | kube-dns   | No node port |\n' +
        '|-------------|------------|--------------|---------------------------|\n',
    );
  });

  it('gives LoadBalancer services their cluster IP while the tunnel runs, and takes it back when it stops', async () => {
    const steps = await runTranscript(
      [
        'kubectl create service loadbalancer lb --tcp=80:8080',
        "kubectl get svc lb -o jsonpath='{.status.loadBalancer}'",
        'minikube tunnel &',
        "kubectl get svc lb -o jsonpath='{.spec.clusterIP} {.status.loadBalancer.ingress[0].ip}'",
        'kill %1',
        "kubectl get svc lb -o jsonpath='{.status.loadBalancer}'",
      ].join('\n') + '\n',
    );
    expect(steps[1].output).toBe('{}');
    expect(steps[2].output).toContain(tunnelStatus(40001, '192.168.49.2', ['lb']));
    const [clusterIp, externalIp] = steps[3].output.split(' ');
    expect(externalIp).toBe(clusterIp);
    expect(clusterIp).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(steps[5].output).toMatch(/^\{\}/);
  });
});
