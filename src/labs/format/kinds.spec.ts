import { parseCheck } from '../loader/loader';
import { LabLoadError } from '../loader/reader';
import { evaluateCheck } from '../evaluation/evaluate';
import { LabSession } from '../runner/lab-session';
import { selectableKind, selectableKinds, suggestKind } from './kinds';

describe('selectable kinds (the engine registry)', () => {
  it('include the workload, config, storage, network and RBAC kinds, but not the review or metrics APIs', () => {
    const kinds = selectableKinds();
    for (const kind of ['ConfigMap', 'Secret', 'Job', 'CronJob', 'DaemonSet', 'StatefulSet', 'Ingress']) {
      expect(kinds).toContain(kind);
    }
    for (const kind of ['PersistentVolumeClaim', 'StorageClass', 'NetworkPolicy', 'Role', 'EndpointSlice']) {
      expect(kinds).toContain(kind);
    }
    expect(kinds).not.toContain('SelfSubjectReview');
    expect(kinds).not.toContain('PodMetrics');
    expect(selectableKind('HorizontalPodAutoscaler')?.namespaced).toBe(true);
    expect(selectableKind('StorageClass')?.namespaced).toBe(false);
  });

  it('suggest the manifest spelling for a plural or short name', () => {
    expect(suggestKind('pods')).toBe('Pod');
    expect(suggestKind('cm')).toBe('ConfigMap');
    expect(suggestKind('Gadget')).toBeUndefined();
  });

  it('are rejected when unknown or given a namespace they cannot have', () => {
    expect(() => parseCheck('select: { kind: configmaps }')).toThrow(
      /select\.kind: unknown kind "configmaps" \(did you mean ConfigMap\?/,
    );
    expect(() => parseCheck('select: { kind: StorageClass, namespace: default }')).toThrow(
      'select.namespace: StorageClass is cluster-scoped: it has no namespace',
    );
    expect(() => parseCheck('select: { kind: Gadget }')).toThrow(LabLoadError);
  });

  it('are read from an embedded cluster, namespaced and cluster-scoped alike', async () => {
    const session = new LabSession();
    await session.run('kubectl create namespace shop');
    await session.run('kubectl create configmap web-config -n shop --from-literal=mode=blue');
    await session.run('kubectl create secret generic web-secret -n shop --from-literal=token=t0k3n');
    await session.run('kubectl create job once -n shop --image=busybox -- echo hi');
    await session.run('kubectl create role reader -n shop --verb=get --resource=pods');
    const passes = async (yaml: string) => (await evaluateCheck(parseCheck(yaml), session.context)).passed;
    expect(
      await passes(
        'select: { kind: ConfigMap, namespace: shop, name: web-config }\nwhere: [{ field: .data.mode, equals: blue }]',
      ),
    ).toBe(true);
    expect(await passes('select: { kind: Secret, namespace: shop, name: web-secret }')).toBe(true);
    expect(
      await passes('select: { kind: Job, namespace: shop, name: once }\nwhere: [{ image: busybox }]'),
    ).toBe(true);
    expect(await passes('select: { kind: Role, namespace: shop, name: reader }')).toBe(true);
    expect(await passes('select: { kind: StorageClass }')).toBe(true);
    expect(await passes('select: { kind: Namespace, name: shop }')).toBe(true);
    expect(await passes('select: { kind: ConfigMap, namespace: default, name: web-config }')).toBe(false);
    // Every selectable kind can be read without an error, even when the cluster holds none of it.
    for (const kind of selectableKinds())
      await expect(session.context.readObjects({ kind })).resolves.toBeDefined();
  });
});
