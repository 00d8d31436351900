import { complete, commonPrefix } from './completion';
import { ObjectNameBook } from './object-names';
import { promptAfter, SHELL_PROMPT } from './prompt-tracker';

const GET_PODS = [
  'NAME                          READY   STATUS    RESTARTS   AGE',
  'yanwei.app-5d8f7c9b6d-2xkqp   1/1     Running   0          40s',
  'yanwei.app-5d8f7c9b6d-9wbzt   1/1     Running   0          12s',
  '',
].join('\n');

function bookWithPods(): ObjectNameBook {
  const book = new ObjectNameBook();
  book.learn('kubectl get pods', GET_PODS);
  return book;
}

describe('complete', () => {
  const empty = new ObjectNameBook();

  it('completes program names at the start of a line and filters after a pipe', () => {
    expect(complete('kub', empty).insert).toBe('kubectl ');
    expect(complete('c', empty).candidates).toEqual(['cat', 'cd', 'clear', 'cp', 'curl']);
    expect(complete('c', empty).insert).toBe('c');
    expect(complete('kubectl get pods | gr', empty).insert).toBe('grep ');
  });

  it('completes kubectl verbs, subcommands and resource kinds', () => {
    expect(complete('kubectl des', empty)).toMatchObject({ start: 8, typed: 'des', insert: 'describe ' });
    expect(complete('kubectl ', empty).candidates).toContain('cluster-info');
    expect(complete('kubectl rollout ', empty).candidates).toEqual([
      'history',
      'pause',
      'restart',
      'resume',
      'status',
      'undo',
    ]);
    expect(complete('kubectl get dep', empty).insert).toBe('deployments ');
    expect(complete('kubectl -n kube-system get p', empty).insert).toBe('pods ');
    expect(complete('kubectl rollout status dep', empty).insert).toBe('deployments ');
  });

  it('completes object names learnt from kubectl get, with and without kind/', () => {
    const book = bookWithPods();
    const names = complete('kubectl label pod ya', book);
    expect(names.candidates).toEqual(['yanwei.app-5d8f7c9b6d-2xkqp', 'yanwei.app-5d8f7c9b6d-9wbzt']);
    expect(names.insert).toBe('yanwei.app-5d8f7c9b6d-');
    expect(complete('kubectl describe po/yanwei.app-5d8f7c9b6d-2', book).insert).toBe(
      'po/yanwei.app-5d8f7c9b6d-2xkqp ',
    );
    expect(complete('kubectl exec -ti yanwei.app-5d8f7c9b6d-9', book).insert).toBe(
      'yanwei.app-5d8f7c9b6d-9wbzt ',
    );
    expect(complete('kubectl exec -ti yanwei.app-5d8f7c9b6d-9wbzt -- ', book).candidates).toContain('bash');
    // Names are per namespace: kube-system has none learnt yet.
    expect(complete('kubectl -n kube-system describe pod ya', book).candidates).toEqual([]);
  });

  it('completes namespaces, files and output formats after their flags', () => {
    expect(complete('kubectl get pods -n kube-s', empty).insert).toBe('kube-system ');
    expect(complete('kubectl apply -f dep', empty).insert).toBe('deployment.yaml ');
    expect(complete('kubectl get pods -o ya', empty).insert).toBe('yaml ');
    expect(complete('kubectl get pods -o js', empty).insert).toBe('json');
    expect(complete('kubectl get pods -o jsonp', empty).insert).toBe('jsonpath=');
  });

  it('offers nothing inside quotes, for flags, or after key=value arguments', () => {
    const book = bookWithPods();
    expect(complete('echo "kub', book).candidates).toEqual([]);
    expect(complete('kubectl get pods --sh', book).candidates).toEqual([]);
    expect(complete('kubectl label pod yanwei.app-5d8f7c9b6d-2xkqp ', book).candidates).toEqual([]);
  });

  it('commonPrefix', () => {
    expect(commonPrefix(['deploy', 'deployments'])).toBe('deploy');
    expect(commonPrefix([])).toBe('');
  });
});

describe('ObjectNameBook', () => {
  it('replaces a kind by a complete listing, so pods that went away stop completing', () => {
    const book = bookWithPods();
    book.learn(
      'kubectl get po',
      'NAME                          READY   STATUS    RESTARTS   AGE\nyanwei.app-7b9c6d5f4-zzzzz   1/1     Running   0   3s\n',
    );
    expect(book.namesOf('pods', 'default')).toEqual(['yanwei.app-7b9c6d5f4-zzzzz']);
    book.learn('kubectl get pods', 'No resources found in default namespace.\n');
    expect(book.namesOf('pods', 'default')).toEqual([]);
  });

  it('reads -A listings, -o name, get all and created/deleted lines', () => {
    const book = new ObjectNameBook();
    book.learn(
      'kubectl get pods -A',
      'NAMESPACE     NAME                               READY   STATUS\nkube-system   coredns-6f6b679f8f-abcde   1/1   Running\n',
    );
    expect(book.namesOf('pods', 'kube-system')).toEqual(['coredns-6f6b679f8f-abcde']);
    book.learn('kubectl get deploy -o name', 'deployment.apps/yanwei.app\n');
    expect(book.namesOf('deployments', 'default')).toEqual(['yanwei.app']);
    book.learn(
      'kubectl get all',
      'NAME                 TYPE        CLUSTER-IP   PORT(S)\nservice/kubernetes   ClusterIP   10.96.0.1    443/TCP\n\nNAME                         READY\nreplicaset.apps/yanwei.app-5d8f   1\n',
    );
    expect(book.namesOf('services', 'default')).toEqual(['kubernetes']);
    expect(book.namesOf('replicasets', 'default')).toEqual(['yanwei.app-5d8f']);
    book.learn('kubectl expose deployment/yanwei.app --port 8080 --name yanwei', 'service/yanwei exposed\n');
    expect(book.namesOf('services', 'default')).toEqual(['kubernetes', 'yanwei']);
    book.learn('kubectl label nodes minikube disktype=ssd', 'node/minikube labeled\n');
    expect(book.namesOf('nodes', '')).toEqual(['minikube']);
    book.learn('kubectl delete svc yanwei', 'service "yanwei" deleted\n');
    expect(book.namesOf('services', 'default')).toEqual(['kubernetes']);
  });

  it('ignores failed listings and lines it cannot place', () => {
    const book = bookWithPods();
    book.learn('kubectl get pods', 'error: the server could not be reached\n');
    expect(book.namesOf('pods', 'default')).toHaveLength(2);
    book.learn('echo NAME', 'NAME\n');
    book.learn('kubectl get pods | grep yanwei', 'yanwei.app-x 1/1 Running\n');
    expect(book.namesOf('pods', 'default')).toHaveLength(2);
  });
});

describe('promptAfter', () => {
  const ok = { exitCode: 0, status: 'completed' };

  it('enters the pod shell after kubectl exec -ti POD -- bash and leaves it on exit', () => {
    const inPod = promptAfter(SHELL_PROMPT, 'kubectl exec -ti yanwei.app-5d8f7c9b6d-2xkqp -- bash', ok);
    expect(inPod).toBe('root@yanwei:/# ');
    expect(promptAfter(inPod, 'curl localhost:8080', ok)).toBe(inPod);
    expect(promptAfter(inPod, 'exit', ok)).toBe(SHELL_PROMPT);
  });

  it('accepts the flag spellings and shells the terminal accepts', () => {
    expect(promptAfter(SHELL_PROMPT, 'kubectl exec -it web-1 -- /bin/sh', ok)).toBe('root@web-1:/# ');
    expect(promptAfter(SHELL_PROMPT, 'kubectl -n demo exec --stdin --tty web-1 -- sh', ok)).toBe(
      'root@web-1:/# ',
    );
    expect(promptAfter(SHELL_PROMPT, 'kubectl exec -ti deploy/yanwei.app -- bash', ok)).toBe(
      'root@yanwei:/# ',
    );
  });

  it('stays at $ for exec that runs a command, for failures and without -i', () => {
    expect(promptAfter(SHELL_PROMPT, 'kubectl exec web-1 -- ls', ok)).toBe(SHELL_PROMPT);
    expect(promptAfter(SHELL_PROMPT, 'kubectl exec -t web-1 -- bash', ok)).toBe(SHELL_PROMPT);
    expect(
      promptAfter(SHELL_PROMPT, 'kubectl exec -ti web-1 -- bash', { exitCode: 1, status: 'completed' }),
    ).toBe(SHELL_PROMPT);
    expect(
      promptAfter(SHELL_PROMPT, 'kubectl exec -ti web-1 -- bash', { exitCode: 130, status: 'cancelled' }),
    ).toBe(SHELL_PROMPT);
    expect(promptAfter(SHELL_PROMPT, 'exit', ok)).toBe(SHELL_PROMPT);
  });
});
