import type { APIService } from '../../api/cluster-types';
import { RESOURCES } from '../../api/resources';
import { labCluster } from '../../testing';
import { runKubectl } from '../kubectl';
import { VirtualFiles } from '../virtual-files';

async function kubectl(cluster: ReturnType<typeof labCluster>['cluster'], line: string) {
  let stdout = '';
  let stderr = '';
  const code = await runKubectl(line.split(' ').slice(1), {
    cluster,
    files: new VirtualFiles(),
    interactive: false,
    stdout: (t: string) => (stdout += t),
    stderr: (t: string) => (stderr += t),
  } as never);
  return { stdout, stderr, code };
}

const firstColumn = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);

describe('kubectl api-resources and api-versions', () => {
  const { cluster } = labCluster();

  it('lists the preferred version of every served resource, core group first, then by group and name', async () => {
    const { stdout, code } = await kubectl(cluster, 'kubectl api-resources');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(lines[1]).toMatch(/^bindings +v1 +true +Binding$/);
    expect(lines).toContainEqual(expect.stringMatching(/^events +ev +events\.k8s\.io\/v1 +true +Event$/));
    expect(stdout).not.toContain('autoscaling/v1 ');
    expect(stdout).not.toContain('v1beta3');
  });

  it('filters by group, scope, verbs and categories, and sorts by name or kind', async () => {
    expect(
      firstColumn((await kubectl(cluster, 'kubectl api-resources --api-group=apps --no-headers')).stdout),
    ).toEqual(['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
    const verbs = await kubectl(cluster, 'kubectl api-resources --verbs=list --namespaced=false -o name');
    expect(verbs.stdout).toContain('componentstatuses\n');
    expect(verbs.stdout).not.toContain('tokenreviews');
    expect(verbs.stdout).not.toContain('pods\n');
    const all = await kubectl(cluster, 'kubectl api-resources --categories=all --sort-by=kind --no-headers');
    expect(firstColumn(all.stdout)).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'horizontalpodautoscalers',
      'jobs',
      'pods',
      'replicasets',
      'replicationcontrollers',
      'services',
      'statefulsets',
    ]);
    const byName = firstColumn((await kubectl(cluster, 'kubectl api-resources --sort-by=name')).stdout);
    expect(byName.indexOf('events')).toBe(byName.lastIndexOf('events') - 1);
    expect((await kubectl(cluster, 'kubectl api-resources --api-group=nope')).stdout).toMatch(
      /^NAME .*KIND\n$/,
    );
    expect((await kubectl(cluster, 'kubectl api-resources --api-group=nope --no-headers')).stdout).toBe('');
  });

  it('shows verbs and categories with -o wide', async () => {
    const { stdout } = await kubectl(
      cluster,
      'kubectl api-resources -o wide --api-group=apiextensions.k8s.io',
    );
    expect(stdout.split('\n')[1]).toMatch(
      /^customresourcedefinitions +crd,crds +apiextensions\.k8s\.io\/v1 +false +CustomResourceDefinition +create,delete,deletecollection,get,list,patch,update,watch +api-extensions$/,
    );
  });

  it("refuses what kubectl refuses, with kubectl's words", async () => {
    expect(await kubectl(cluster, 'kubectl api-resources -o json')).toEqual({
      stdout: '',
      stderr: 'error: --output json is not available\n',
      code: 1,
    });
    expect((await kubectl(cluster, 'kubectl api-resources --sort-by=age')).stderr).toBe(
      'error: --sort-by accepts only name or kind\n',
    );
    expect((await kubectl(cluster, 'kubectl api-versions extra')).stderr).toBe(
      "error: unexpected arguments: [extra]\nSee 'kubectl api-versions -h' for help and examples\n",
    );
  });

  it('prints every served group/version, sorted, older versions included', async () => {
    const { stdout } = await kubectl(cluster, 'kubectl api-versions');
    const versions = stdout.trimEnd().split('\n');
    expect(versions).toEqual([...versions].sort());
    expect(versions).toEqual(
      expect.arrayContaining([
        'v1',
        'apps/v1',
        'autoscaling/v1',
        'autoscaling/v2',
        'flowcontrol.apiserver.k8s.io/v1beta3',
      ]),
    );
    expect(versions).toHaveLength(new Set(versions).size);
  });

  it('lists an aggregated group while its APIService is available, and drops it when it goes', async () => {
    const { cluster: own } = labCluster();
    // A registry entry served through an APIService (what an add-on such as metrics-server provides).
    const aggregated = RESOURCES.find((r) => r.aggregated)!;
    expect(aggregated).toBeDefined();
    const before = (await kubectl(own, 'kubectl api-versions')).stdout;
    expect(before).not.toContain(`${aggregated.apiVersion}\n`);
    const service: APIService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `${aggregated.version}.${aggregated.group}` },
      spec: {
        group: aggregated.group,
        version: aggregated.version,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
      status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }] },
    };
    own.api.create(service);
    expect((await kubectl(own, 'kubectl api-versions')).stdout).toContain(`${aggregated.apiVersion}\n`);
    own.api.delete('apiservices', undefined, service.metadata.name);
    expect((await kubectl(own, 'kubectl api-versions')).stdout).toBe(before);
  });
});
