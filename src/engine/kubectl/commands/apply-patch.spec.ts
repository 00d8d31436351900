import { sortKeys } from '../printers/json';
import { patchText, threeWayMergePatch } from './apply-patch';

const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

/** A Deployment manifest `web` as kubectl records it (namespace and empty annotations added). */
function web(container: Record<string, unknown>, labels?: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { annotations: {}, ...(labels ? { labels } : {}), name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ...container }] } },
    },
  };
}

/** `modified`: the manifest carrying its own record, as GetModifiedConfiguration builds it. */
function withRecord(manifest: ReturnType<typeof web>) {
  const record = JSON.stringify(sortKeys(manifest)) + '\n';
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { [LAST]: record } } };
}

/** The live object: the previous manifest as the server keeps it (defaults, status, its own record). */
function live(previous: ReturnType<typeof web>) {
  const current = withRecord(previous) as Record<string, unknown> & { spec: Record<string, unknown> };
  return {
    ...current,
    spec: { ...current.spec, replicas: 1, revisionHistoryLimit: 10 },
    status: { replicas: 1 },
  };
}

const env = [
  { name: 'A', value: '1' },
  { name: 'B', value: '2' },
];

describe('kubectl apply patch (CreateThreeWayMergePatch), as kubectl v1.30 sends it', () => {
  it('sends a changed image with the containers order', () => {
    const before = web({ image: 'nginx:1.27', env });
    const after = web({ image: 'nginx:1.28', env });
    const patch = threeWayMergePatch(before, withRecord(after), live(before));
    expect(patchText(patch)).toBe(
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"env\\":[{\\"name\\":\\"A\\",\\"value\\":\\"1\\"},{\\"name\\":\\"B\\",\\"value\\":\\"2\\"}],\\"image\\":\\"nginx:1.28\\",\\"name\\":\\"c\\"}]}}}}\\n"}},' +
        '"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"nginx:1.28","name":"c"}]}}}}',
    );
  });

  it('adds a label, changes one env var and deletes the other with $patch: delete after the changes', () => {
    const before = web({ image: 'nginx:1.28', env });
    const after = web({ image: 'nginx:1.28', env: [{ name: 'A', value: '3' }] }, { tier: 'front' });
    const patch = threeWayMergePatch(before, withRecord(after), live(before));
    const { metadata, ...rest } = patch as { metadata: { annotations: unknown; labels: unknown } };
    expect(metadata.labels).toEqual({ tier: 'front' });
    expect(patchText(rest)).toBe(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"name":"A","value":"3"},{"$patch":"delete","name":"B"}],"name":"c"}]}}}}',
    );
  });

  it('nulls what the record had and the manifest dropped, and leaves server-only fields alone', () => {
    const original = { metadata: { labels: { app: 'x' }, name: 'x' }, spec: { replicas: 2, paused: true } };
    const modified = { metadata: { name: 'x' }, spec: { replicaz: 3 } };
    const current = { ...original, spec: { ...original.spec, revisionHistoryLimit: 10 }, status: {} };
    expect(patchText(threeWayMergePatch(original, modified, current))).toBe(
      '{"metadata":{"labels":null},"spec":{"paused":null,"replicas":null,"replicaz":3}}',
    );
  });

  it('is empty when the manifest matches both its record and the live object', () => {
    const manifest = withRecord(web({ image: 'nginx', env }));
    expect(patchText(threeWayMergePatch(manifest, manifest, { ...manifest, status: {} }))).toBe('{}');
  });

  it('lists the kept keys of a Deployment strategy ($retainKeys) and escapes HTML characters as Go does', () => {
    const original = { spec: { strategy: { type: 'RollingUpdate' } } };
    const modified = {
      metadata: { annotations: { note: 'a<b&c' } },
      spec: { strategy: { type: 'Recreate' } },
    };
    expect(patchText(threeWayMergePatch(original, modified, original))).toBe(
      '{"metadata":{"annotations":{"note":"a\\u003cb\\u0026c"}},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}',
    );
  });
});
