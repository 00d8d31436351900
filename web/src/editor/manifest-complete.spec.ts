import { openApiV3GroupVersion } from '../../../src/engine/http/openapi';
import { OpenApiDocument, SchemaIndex } from './k8s-schema';
import type { SchemaLookup } from './manifest-check';
import { completeManifest } from './manifest-complete';

const served: SchemaLookup = (apiVersion) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const doc = openApiV3GroupVersion(group, version) as OpenApiDocument | undefined;
  return doc ? new SchemaIndex(doc) : null;
};

function complete(marked: string) {
  const pos = marked.indexOf('|');
  return completeManifest(marked.replace('|', ''), pos, served);
}

describe('completeManifest', () => {
  it('offers the fields of the schema at the cursor that are not written yet, with Go type and description', () => {
    const result = complete('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  sel|\n');
    const labels = result?.options.map((o) => o.label);
    expect(labels).toEqual([
      'minReadySeconds',
      'paused',
      'progressDeadlineSeconds',
      'revisionHistoryLimit',
      'selector',
      'strategy',
      'template',
    ]);
    expect(result?.from).toBe('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  '.length);
    const selector = result?.options.find((o) => o.label === 'selector');
    expect(selector).toMatchObject({ detail: 'v1.LabelSelector', apply: 'selector:\n    ' });
    expect(selector?.info).toMatch(/^Label selector for pods/);
    const paused = result?.options.find((o) => o.label === 'paused');
    expect(paused).toMatchObject({ detail: 'bool', apply: 'paused: ' });
  });

  it('lays out lists the way kubectl writes them', () => {
    const result = complete('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    por|\n');
    expect(result?.options.find((o) => o.label === 'ports')).toMatchObject({
      detail: '[]v1.ContainerPort',
      apply: 'ports:\n    - ',
    });
  });

  it('completes apiVersion, kind and booleans', () => {
    expect(complete('apiVersion: app|\n')?.options.map((o) => o.label)).toContain('apps/v1');
    expect(complete('apiVersion: apps/v1\nkind: |\n')?.options.map((o) => o.label)).toEqual([
      'ControllerRevision',
      'DaemonSet',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
    ]);
    expect(
      complete('apiVersion: apps/v1\nkind: Deployment\nspec:\n  paused: |\n')?.options.map((o) => o.label),
    ).toEqual(['true', 'false']);
    expect(complete('|')?.options.map((o) => o.label)).toEqual(['apiVersion', 'kind']);
    // A value typed in full is not offered again: Enter after it ends the line.
    expect(complete('apiVersion: v1|\n')).toBeUndefined();
    expect(complete('kind: ConfigMap|\n')).toBeUndefined();
  });
});
