import {
  ALL_VERBS,
  apiServiceName,
  inDiscoveryOrder,
  inServedVersion,
  isCreateOnly,
  isReview,
  olderVersions,
  RESOURCES,
  resourceFor,
  resourceForKind,
  resourcesInCategory,
  servedResources,
  type ResourceInfo,
} from './resources';

describe('the resource registry', () => {
  it('gives every resource its discovery verbs and categories, one entry per group and resource', () => {
    const keys = RESOURCES.map((r) => `${r.resource}.${r.group}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of RESOURCES) expect(r.verbs.length).toBeGreaterThan(0);
    expect(resourceFor('namespaces')!.verbs).toEqual(ALL_VERBS.filter((v) => v !== 'deletecollection'));
    expect(resourceFor('componentstatuses')!.verbs).toEqual(['get', 'list']);
    expect(resourceFor('bindings')!.verbs).toEqual(['create']);
    expect(resourceFor('crd')!.categories).toEqual(['api-extensions']);
    expect(resourceFor('crds')!.resource).toBe('customresourcedefinitions');
  });

  it('lists the kinds of a minikube v1.30 API server that the lab adds without behaviour', () => {
    const names = RESOURCES.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource));
    expect(names).toEqual(
      expect.arrayContaining([
        'bindings',
        'componentstatuses',
        'podtemplates',
        'replicationcontrollers',
        'mutatingwebhookconfigurations.admissionregistration.k8s.io',
        'validatingadmissionpolicies.admissionregistration.k8s.io',
        'validatingadmissionpolicybindings.admissionregistration.k8s.io',
        'validatingwebhookconfigurations.admissionregistration.k8s.io',
        'customresourcedefinitions.apiextensions.k8s.io',
        'apiservices.apiregistration.k8s.io',
        'certificatesigningrequests.certificates.k8s.io',
        'events.events.k8s.io',
        'flowschemas.flowcontrol.apiserver.k8s.io',
        'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io',
        'runtimeclasses.node.k8s.io',
        'csidrivers.storage.k8s.io',
        'csinodes.storage.k8s.io',
        'csistoragecapacities.storage.k8s.io',
        'volumeattachments.storage.k8s.io',
      ]),
    );
  });

  it('resolves a bare name to the core group and a qualified one to its group', () => {
    expect(resourceFor('ev')!.group).toBe('');
    expect(resourceFor('events')!.group).toBe('');
    expect(resourceFor('events.events.k8s.io')!.group).toBe('events.k8s.io');
    expect(resourceFor('ev.events.k8s.io')!.apiVersion).toBe('events.k8s.io/v1');
    expect(resourceForKind('Event')!.group).toBe('');
    expect(resourceFor('rc')!.kind).toBe('ReplicationController');
  });

  it('names the older versions a group still serves, and reads an object in such a version', () => {
    expect(olderVersions().map((r) => r.apiVersion)).toEqual([
      'autoscaling/v1',
      'flowcontrol.apiserver.k8s.io/v1beta3',
      'flowcontrol.apiserver.k8s.io/v1beta3',
    ]);
    const older = resourceFor('flowschemas.v1beta3.flowcontrol.apiserver.k8s.io')!;
    expect(older.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    const fs = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'x' } };
    expect(Object.keys(inServedVersion(older, fs))).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(inServedVersion(older, fs).apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(inServedVersion(resourceFor('flowschemas')!, fs)).toBe(fs);
    // autoscaling/v1 needs a conversion (http/autoscaling-v1.ts): not a name kubectl resolves here.
    expect(resourceFor('hpa.v1.autoscaling')).toBeUndefined();
  });

  it('separates the review APIs from the other create-only resource, Binding', () => {
    expect(isCreateOnly(resourceFor('bindings')!)).toBe(true);
    expect(isReview(resourceFor('bindings')!)).toBe(false);
    expect(isReview(resourceFor('selfsubjectaccessreviews')!)).toBe(true);
    expect(isCreateOnly(resourceFor('pods')!)).toBe(false);
  });

  it('expands the category `all` in discovery order', () => {
    expect(resourcesInCategory('all').map((r) => r.resource)).toEqual([
      'pods',
      'replicationcontrollers',
      'services',
      'daemonsets',
      'deployments',
      'replicasets',
      'statefulsets',
      'horizontalpodautoscalers',
      'cronjobs',
      'jobs',
    ]);
  });

  it('serves an aggregated group only while its APIService is available', () => {
    const aggregated: ResourceInfo = {
      ...resourceFor('pods')!,
      group: 'example.io',
      version: 'v1',
      aggregated: true,
    };
    expect(apiServiceName(aggregated)).toBe('v1.example.io');
    const builtIn = servedResources(() => false);
    expect(builtIn).toEqual(RESOURCES.filter((r) => !r.aggregated));
    expect(inDiscoveryOrder([aggregated, resourceFor('pods')!]).map((r) => r.group)).toEqual([
      '',
      'example.io',
    ]);
  });
});
