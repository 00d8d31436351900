import { runTranscript, type TranscriptStep } from '../../cli/transcript-runner';

/** Runs the lines as one transcript (a fresh cluster, the virtual clock) and returns every step. */
async function run(lines: string[]): Promise<TranscriptStep[]> {
  return runTranscript(lines.join('\n') + '\n');
}

const WEB = ['web-6dc5cd68db-vx8zb', 'web-6dc5cd68db-wzrhq'];
const blocked = (pod: string) =>
  `error when evicting pods/"${pod}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`;

describe('kubectl cordon, uncordon and drain', () => {
  it('cordons and uncordons, saying when nothing changes', async () => {
    const steps = await run([
      'kubectl cordon',
      'kubectl cordon minikube -l a=b',
      'kubectl cordon minikube',
      'kubectl cordon node/minikube',
      "kubectl get node minikube -o jsonpath='{.spec.unschedulable}'",
      'kubectl uncordon minikube --dry-run=client',
      'kubectl uncordon minikube',
      "kubectl get node minikube -o jsonpath='{.spec.unschedulable}'",
    ]);
    expect(steps.map((s) => s.output)).toEqual([
      "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n",
      "error: cannot specify both a node name and a --selector option\nSee 'kubectl cordon -h' for help and examples\n",
      'node/minikube cordoned\n',
      'node/minikube already cordoned\n',
      'true',
      'node/minikube uncordoned (dry run)\n',
      'node/minikube uncordoned\n',
      '',
    ]);
  });

  it("refuses DaemonSet-managed and unmanaged pods with kubectl's texts", async () => {
    const steps = await run([
      'kubectl drain minikube --ignore-daemonsets',
      'kubectl drain minikube --force --dry-run=client',
    ]);
    expect(steps[0].stdout).toBe('node/minikube cordoned\n');
    expect(steps[0].stderr).toBe(
      'error: unable to drain node "minikube" due to error:cannot delete cannot delete Pods that declare no controller (use --force to override): kube-system/storage-provisioner, continuing command...\n' +
        'There are pending nodes to be drained:\n minikube\n' +
        'cannot delete cannot delete Pods that declare no controller (use --force to override): kube-system/storage-provisioner\n',
    );
    expect(steps[0].exitCode).toBe(1);
    expect(steps[1].stderr).toContain(
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-',
    );
  });

  it('retries evictions a disruption budget blocks every 5 s until the timeout, then evicts once it is gone', async () => {
    const steps = await run([
      'kubectl create deployment web --image=nginx --replicas=2',
      'kubectl create pdb web --selector=app=web --min-available=2',
      '# advance 20s',
      'kubectl drain minikube --ignore-daemonsets --pod-selector=app=web --timeout=12s',
      'kubectl get pods --no-headers -o name',
      'kubectl delete pdb web',
      'kubectl drain minikube --ignore-daemonsets --pod-selector=app=web',
      "kubectl get pods -o jsonpath='{.items[*].status.phase}'",
    ]);
    const attempts = (n: number) =>
      Array.from({ length: n }, () =>
        WEB.map((pod) => `evicting pod default/${pod}\n${blocked(pod)}`).join(''),
      ).join('');
    const timeouts = WEB.map(
      (pod) => `error when evicting pods/"${pod}" -n "default": global timeout reached: 12s`,
    );
    // Attempts at 0, 5 and 10 s; the one at 15 s finds the 12 s timeout passed.
    expect(steps[2].output).toBe(
      'node/minikube cordoned\n' +
        attempts(3) +
        WEB.map((pod) => `evicting pod default/${pod}\n`).join('') +
        `There are pending pods in node "minikube" when an error occurred: [${timeouts.join(', ')}]\n` +
        WEB.map((pod) => `pod/${pod}\n`).join('') +
        `error: unable to drain node "minikube" due to error:[${timeouts.join(', ')}], continuing command...\n` +
        'There are pending nodes to be drained:\n minikube\n' +
        timeouts.join('\n') +
        '\n',
    );
    expect(steps[3].output).toBe(WEB.map((pod) => `pod/${pod}\n`).join(''));
    expect(steps[5].output).toBe(
      'node/minikube already cordoned\n' +
        WEB.map((pod) => `evicting pod default/${pod}\n`).join('') +
        WEB.map((pod) => `pod/${pod} evicted\n`).join('') +
        'node/minikube drained\n',
    );
    // The replacements cannot be scheduled on the cordoned node.
    expect(steps[6].output).toBe('Pending Pending');
  });
});

describe('kubectl taint', () => {
  it('adds, overwrites and removes taints with their errors', async () => {
    const steps = await run([
      'kubectl taint nodes minikube',
      'kubectl taint pods foo a=b:NoSchedule',
      'kubectl taint nodes minikube a=b:NoBogus',
      'kubectl taint nodes minikube dedicated=gpu:NoSchedule',
      'kubectl taint nodes minikube dedicated=cpu:NoSchedule',
      'kubectl taint nodes minikube dedicated=cpu:NoSchedule --overwrite',
      'kubectl taint nodes minikube other:PreferNoSchedule dedicated-',
      'kubectl taint nodes minikube nothere-',
      "kubectl get node minikube -o jsonpath='{.spec.taints}'",
    ]);
    expect(steps.map((s) => s.output)).toEqual([
      'error: at least one taint update is required\n',
      'error: invalid resource type pods, only node types are supported\n',
      "error: invalid taint effect: NoBogus, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n",
      'node/minikube tainted\n',
      'error: node minikube already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
      'node/minikube modified\n',
      'node/minikube modified\n',
      'error: taint "nothere" not found\n',
      '[{"effect":"PreferNoSchedule","key":"other"}]',
    ]);
  });

  it('NoExecute evicts pods without a toleration at once and tolerating ones after tolerationSeconds', async () => {
    const steps = await run([
      'kubectl create deployment web --image=nginx --replicas=1',
      'kubectl apply -f - <<EOF',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: tol',
      'spec:',
      '  tolerations:',
      '  - key: evict',
      '    operator: Exists',
      '    effect: NoExecute',
      '    tolerationSeconds: 30',
      '  containers:',
      '  - name: c',
      '    image: nginx',
      'EOF',
      '# advance 10s',
      'kubectl taint nodes --all evict=now:NoExecute',
      '# advance 5s',
      'kubectl get pods -o jsonpath=\'{range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}\'',
      '# advance 30s',
      'kubectl get pods -o jsonpath=\'{range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}\'',
      'kubectl get events --field-selector reason=TaintManagerEviction -o jsonpath=\'{range .items[*]}{.message}{"\\n"}{end}\'',
    ]);
    // After 5 s: the web pod is gone (its replacement cannot be scheduled), tol still runs.
    expect(steps[3].output).toBe('tol minikube\nweb-6dc5cd68db-7x574 \n');
    expect(steps[4].output).toBe('web-6dc5cd68db-7x574 \n');
    expect(steps[5].output).toBe(
      'Marking for deletion Pod default/tol\nMarking for deletion Pod default/web-6dc5cd68db-wzrhq\n',
    );
  });
});
