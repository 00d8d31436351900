import { StatusError } from '../api/status-error';
import type { Deployment, Job, KubeObject, Pod, Service } from '../api/types';
import { labCluster } from '../testing';

function refusal(create: () => unknown): StatusError['status'] {
  try {
    create();
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
  throw new Error('expected the API server to refuse the object');
}

function causesOf(status: StatusError['status']): string[] {
  return (status.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
}

function pod(name: string, spec: Record<string, unknown>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } as unknown as Pod;
}

/** A client's body as JSON.parse leaves it: nulls stay nulls, the type says nothing about them. */
function fromJson<T extends KubeObject>(text: string): T {
  return JSON.parse(text) as T;
}

describe('pod spec validation (v1.30 ValidatePodSpec)', () => {
  it('refuses requests above limits with the request canonical text and the limit', () => {
    const { cluster } = labCluster();
    const status = refusal(() =>
      cluster.api.create(
        pod('big', {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              resources: { requests: { cpu: '2000m', memory: '200Mi' }, limits: { cpu: 1, memory: '100Mi' } },
            },
          ],
        }),
      ),
    );
    expect(status.reason).toBe('Invalid');
    expect(status.message).toBe(
      'Pod "big" is invalid: [spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1, ' +
        'spec.containers[0].resources.requests: Invalid value: "200Mi": must be less than or equal to memory limit of 100Mi]',
    );
  });

  it('accepts requests equal to or below the limits, and a limit alone (it becomes the request)', () => {
    const { cluster } = labCluster();
    const created = cluster.api.create(
      pod('fits', {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            resources: { requests: { cpu: '500m' }, limits: { cpu: '0.5', memory: '1Gi' } },
          },
        ],
      }),
    );
    expect(created.spec.containers[0].resources?.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('wants an extended resource requested exactly at its limit, and refuses negative quantities', () => {
    const { cluster } = labCluster();
    const status = refusal(() =>
      cluster.api.create(
        pod('gpu', {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              resources: {
                requests: { 'nvidia.com/gpu': '1', cpu: '-1' },
                limits: { 'nvidia.com/gpu': '2' },
              },
            },
          ],
        }),
      ),
    );
    expect(causesOf(status)).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });

  it('checks the pod templates of workloads and Jobs, and init containers', () => {
    const { cluster } = labCluster();
    const container = {
      name: 'c',
      image: 'busybox',
      resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
    };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [container] } },
      },
    } as unknown as Deployment;
    expect(causesOf(refusal(() => cluster.api.create(deployment)))).toEqual([
      'spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            initContainers: [container],
            containers: [{ name: 'm', image: 'busybox' }],
          },
        },
      },
    } as unknown as Job;
    expect(causesOf(refusal(() => cluster.api.create(job)))).toEqual([
      'spec.template.spec.initContainers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
  });

  it("leaves a StatefulSet template's mounts to its pods (they may name volumeClaimTemplates)", () => {
    const { cluster } = labCluster();
    const created = cluster.api.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    } as unknown as KubeObject);
    expect(created.metadata.name).toBe('web');
  });

  it('wants a claim name, a volume type and mounts naming a valid volume', () => {
    const { cluster } = labCluster();
    const status = refusal(() =>
      cluster.api.create(
        fromJson<Pod>(
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'pv' },
            spec: {
              containers: [
                {
                  name: 'c',
                  image: 'nginx',
                  volumeMounts: [
                    { name: 'data', mountPath: '/data' },
                    { name: 'cache', mountPath: '/cache' },
                  ],
                },
              ],
              volumes: [
                { name: 'data', persistentVolumeClaim: { claimName: null } },
                { name: 'cache', emptyDir: {} },
                { name: 'nothing' },
              ],
            },
          }),
        ),
      ),
    );
    expect(status.message).toMatch(/^Pod "pv" is invalid: \[/);
    expect(causesOf(status)).toEqual([
      'spec.volumes[0].persistentVolumeClaim.claimName: Required value',
      'spec.volumes[2]: Required value: must specify a volume type',
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]);
  });
});

describe('JSON nulls, decoded as the API server decodes them', () => {
  it('takes a null label value in a selector as the empty value (accepted as Kubernetes accepts it)', () => {
    const { cluster } = labCluster();
    const created = cluster.api.create(
      fromJson<Deployment>(`{
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "labels": {"tier": null}},
        "spec": {"selector": {"matchLabels": {"app": null}},
                 "template": {"metadata": {"labels": {"app": ""}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
      }`),
    );
    expect(created.spec.selector.matchLabels).toEqual({ app: '' });
    expect(created.metadata.labels).toEqual({ tier: '' });
  });

  it('defaults a Service whose type and nodePort are null as if they were absent', () => {
    const { cluster } = labCluster();
    const created = cluster.api.create(
      fromJson<Service>(`{
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"type": null, "selector": {"app": null}, "ports": [{"port": 80, "nodePort": null}]}
      }`),
    );
    expect(created.spec.type).toBe('ClusterIP');
    expect(created.spec.selector).toEqual({ app: '' });
    expect(created.spec.ports?.[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
  });

  it('keeps a template creationTimestamp null, as the API writes it', () => {
    const { cluster } = labCluster();
    const created = cluster.api.create(
      fromJson<Deployment>(`{
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "t"},
        "spec": {"replicas": null, "selector": {"matchLabels": {"app": "t"}},
                 "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "t"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx", "ports": null}]}}}
      }`),
    );
    expect(created.spec.replicas).toBe(1);
    expect(created.spec.template.metadata?.creationTimestamp).toBeNull();
    expect(created.spec.template.spec?.containers[0].ports).toBeUndefined();
  });
});
