import { runTranscript } from '../cli/transcript-runner';

async function outputs(lines: string[]): Promise<Map<string, string>> {
  const steps = await runTranscript(lines.join('\n') + '\n');
  return new Map(steps.map((s) => [s.command, s.output]));
}

describe('the ingress add-on', () => {
  it('runs the controller, fills ADDRESS at its status sync, and routes by Host header and --resolve', async () => {
    const out = await outputs([
      'minikube addons enable ingress',
      'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
      'kubectl expose deployment web --port=8080',
      'kubectl create ingress example-ingress --rule="hello-world.example/=web:8080"',
      'kubectl run box --image=busybox:1.36 -- sleep 3600',
      'kubectl get ingress',
      '# advance 100s',
      'kubectl get pods -n ingress-nginx --no-headers -o custom-columns=STATUS:.status.phase',
      'kubectl get ingress',
      'kubectl get ingressclass',
      'curl -H "Host: hello-world.example" http://192.168.49.2/',
      'curl --resolve "hello-world.example:80:192.168.49.2" http://hello-world.example/',
      'curl -H "Host: other.example" http://192.168.49.2/',
      'kubectl exec box -- wget -qO- --header "Host: hello-world.example" http://192.168.49.2',
      'kubectl exec box -- wget -qO- --header "Host: other.example" http://192.168.49.2',
      'minikube addons disable ingress',
      '# advance 5s',
      "kubectl get ingress example-ingress -o jsonpath='{.status.loadBalancer}'",
    ]);
    expect(
      out.get('kubectl get pods -n ingress-nginx --no-headers -o custom-columns=STATUS:.status.phase'),
    ).toBe('Succeeded\nSucceeded\nRunning\n');
    expect(out.get('kubectl get ingressclass')).toBe(
      'NAME    CONTROLLER             PARAMETERS   AGE\nnginx   k8s.io/ingress-nginx   <none>       100s\n',
    );
    const reply = /^Hello Kubernetes bootcamp! \| Running on: web-[a-z0-9]+-[a-z0-9]{5} \| v=1\n$/;
    expect(out.get('curl -H "Host: hello-world.example" http://192.168.49.2/')).toMatch(reply);
    expect(
      out.get('curl --resolve "hello-world.example:80:192.168.49.2" http://hello-world.example/'),
    ).toMatch(reply);
    expect(out.get('curl -H "Host: other.example" http://192.168.49.2/')).toBe(
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    );
    expect(
      out.get('kubectl exec box -- wget -qO- --header "Host: hello-world.example" http://192.168.49.2'),
    ).toMatch(reply);
    expect(out.get('kubectl exec box -- wget -qO- --header "Host: other.example" http://192.168.49.2')).toBe(
      'wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n',
    );
    expect(out.get("kubectl get ingress example-ingress -o jsonpath='{.status.loadBalancer}'")).toBe('{}');
  });

  it('shows the address only after the status sync', async () => {
    const steps = await runTranscript(
      [
        'minikube addons enable ingress',
        'kubectl create ingress example-ingress --rule="hello-world.example/=web:8080"',
        'kubectl get ingress',
        '# advance 100s',
        'kubectl get ingress',
      ].join('\n') + '\n',
    );
    expect(steps[2].output).toBe(
      'NAME              CLASS   HOSTS                 ADDRESS   PORTS   AGE\nexample-ingress   nginx   hello-world.example             80      0s\n',
    );
    expect(steps[3].output).toBe(
      'NAME              CLASS   HOSTS                 ADDRESS        PORTS   AGE\nexample-ingress   nginx   hello-world.example   192.168.49.2   80      100s\n',
    );
  });
});
