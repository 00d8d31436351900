import { ManualClock } from '../../src/engine/clock/clock';
import { createCluster } from '../../src/engine/cluster';
import { LabTerminal } from '../../src/engine/terminal';

// `--record` is hidden and deprecated in kubectl v1.30 but still records the command as the change-cause, which the
// deployment controller copies to the current ReplicaSet and `rollout history` shows.
describe('kubectl --record', () => {
  const setup = () => {
    const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
    const cluster = createCluster({ seed: 3, clock });
    const terminal = new LabTerminal(cluster);
    const run = async (line: string) => {
      const result = { stdout: '', stderr: '', code: 0 };
      result.code = await terminal.run(line, {
        stdout: (c) => (result.stdout += c),
        stderr: (c) => (result.stderr += c),
      });
      return result;
    };
    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        const due = cluster.nextDueAt();
        if (due === undefined) break;
        clock.set(Math.max(due, clock.now()));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { run, settle };
  };
  const NOTICE = 'Flag --record has been deprecated, --record will be removed in the future\n';

  it('records set image and scale as the change-cause of the current revision', async () => {
    const { run, settle } = setup();
    await run('kubectl create deployment web --image=nginx:1.24');
    await settle();
    expect(await run('kubectl set image deployment/web nginx=nginx:1.25 --record')).toEqual({
      stdout: 'deployment.apps/web image updated\n',
      stderr: NOTICE,
      code: 0,
    });
    await settle();
    expect((await run('kubectl rollout history deployment/web')).stdout).toContain(
      'REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deployment/web nginx=nginx:1.25 --record=true\n',
    );
    expect(await run('kubectl -n default scale deploy web --replicas 2 --record')).toMatchObject({
      stderr: NOTICE,
      code: 0,
    });
    await settle();
    expect((await run('kubectl rollout history deployment/web')).stdout).toContain(
      '2         kubectl scale deploy web --namespace=default --replicas=2 --record=true\n',
    );
  });

  it('records label, annotate, run and expose; refuses it where kubectl has no --record', async () => {
    const { run } = setup();
    await run('kubectl create deployment web --image=nginx:1.24');
    const cause = async (resource: string) =>
      (
        await run(
          `kubectl get ${resource} -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'`,
        )
      ).stdout;
    expect(await run('kubectl label deployment web tier=front --record')).toEqual({
      stdout: 'deployment.apps/web labeled\n',
      stderr: NOTICE,
      code: 0,
    });
    expect(await cause('deployment/web')).toBe('kubectl label deployment web tier=front --record=true');
    expect((await run('kubectl annotate deploy/web a=b --record -n default')).stderr).toBe(NOTICE);
    expect(await cause('deployment/web')).toBe(
      'kubectl annotate deploy/web a=b --record=true --namespace=default',
    );
    // A client dry run of annotate and label records nothing.
    const dryRun = await run('kubectl annotate deploy/web c=d --record --dry-run=client -o yaml');
    expect(dryRun.stdout).toContain('c: d\n');
    expect(dryRun.stdout).not.toContain('c=d --record');
    await run('kubectl run one --image=nginx --record');
    expect(await cause('pod/one')).toBe('kubectl run one --image=nginx --record=true');
    await run('kubectl expose deployment web --port=80 --record=true');
    expect(await cause('service/web')).toBe('kubectl expose deployment web --port=80 --record=true');
    expect((await run('kubectl rollout undo deployment/web --record')).stderr).toBe(
      "error: unknown flag: --record\nSee 'kubectl rollout undo --help' for usage.\n",
    );
  });

  it('records autoscale, set resources, set serviceaccount and patch; set env has no --record', async () => {
    const { run, settle } = setup();
    await run('kubectl create deployment web --image=nginx:1.24');
    await settle();
    const cause = async (resource: string) =>
      (
        await run(
          `kubectl get ${resource} -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'`,
        )
      ).stdout;
    expect(await run('kubectl autoscale deployment web --max=3 --record')).toEqual({
      stdout: 'horizontalpodautoscaler.autoscaling/web autoscaled\n',
      stderr: NOTICE,
      code: 0,
    });
    expect(await cause('hpa/web')).toBe('kubectl autoscale deployment web --max=3 --record=true');
    expect(await run('kubectl set resources deployment web --limits=cpu=200m --record')).toEqual({
      stdout: 'deployment.apps/web resource requirements updated\n',
      stderr: NOTICE,
      code: 0,
    });
    await settle();
    // The service account is unchanged, but the new change-cause is an update (and set serviceaccount always says so).
    expect((await run('kubectl set sa deployment web default --record')).stdout).toBe(
      'deployment.apps/web serviceaccount updated\n',
    );
    expect(await cause('deployment/web')).toBe('kubectl set sa deployment web default --record=true');
    expect(await run('kubectl patch deployment web -p \'{"spec":{"replicas":2}}\' --record')).toEqual({
      stdout: 'deployment.apps/web patched\n',
      stderr: NOTICE,
      code: 0,
    });
    // The change-cause goes as a second patch: a patch that changes nothing else is still "no change".
    expect((await run('kubectl patch deployment web -p \'{"spec":{"replicas":2}}\' --record')).stdout).toBe(
      'deployment.apps/web patched (no change)\n',
    );
    await run(
      'kubectl patch deployment web -p \'{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}\' --record',
    );
    await settle();
    expect((await run('kubectl rollout history deployment/web')).stdout).toBe(
      'deployment.apps/web \n' +
        'REVISION  CHANGE-CAUSE\n' +
        '1         <none>\n' +
        '2         kubectl set resources deployment web --limits=cpu=200m --record=true\n' +
        // set sa changed the template (revision 3); the deployment's later change-cause is copied to its ReplicaSet.
        '3         kubectl patch deployment web --patch={"spec":{"replicas":2}} --record=true\n' +
        '4         kubectl patch deployment web --patch={"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}} --record=true\n' +
        '\n',
    );
    expect((await run('kubectl set env deployment web A=b --record')).stderr).toBe(
      "error: unknown flag: --record\nSee 'kubectl set env --help' for usage.\n",
    );
  });
});
