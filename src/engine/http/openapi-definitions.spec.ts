import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDefinitions, loadDefinitions } from './openapi-definitions';

describe('OpenAPI definitions and their disk cache', () => {
  const generated = generateDefinitions();

  it('survive a trip through JSON unchanged (what the cache stores is what generation gives)', () => {
    const trip = new Map(JSON.parse(JSON.stringify([...generated])) as [string, unknown][]);
    expect(trip).toStrictEqual(generated);
  });

  it('are read back from the cache in the order and shape they were generated', () => {
    const cacheDir = path.join(
      path.dirname(require.resolve('kubernetes-types/package.json')),
      '..',
      '.cache',
      'kubelab-openapi',
    );
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const first = loadDefinitions();
    expect(fs.readdirSync(cacheDir).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    const second = loadDefinitions();
    expect([...second.keys()]).toEqual([...generated.keys()]);
    expect(second).toStrictEqual(generated);
    expect(first).toStrictEqual(generated);
  });

  it('describe the fields kubectl explain prints', () => {
    const pod = generated.get('io.k8s.api.core.v1.PodSpec') as { properties: Record<string, unknown> };
    expect(pod.properties.containers).toMatchObject({ type: 'array' });
    expect(generated.get('io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toMatchObject({
      format: 'int-or-string',
    });
  });
});
