import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabFile } from './loader';
import { testLab } from '../runner/lab-test';
import { LabSession } from '../runner/lab-session';
import { evaluateCheck } from '../evaluation/evaluate';
import { parseCheck } from './loader';

const STEP = [
  'steps:',
  '  - id: scale',
  '    title: { zh-CN: 扩容, en: Scale }',
  '    instructions: { zh-CN: 做, en: Do }',
  '    points: 10',
  '    checks:',
  '      - select: { kind: Deployment, namespace: shop, name: web }',
  '        where: [{ field: .spec.replicas, equals: 3 }]',
  '      - file: { path: manifests/web.yaml, manifest: { kind: Deployment }, field: .spec.replicas, equals: 3 }',
  '    solution:',
  '      - kubectl scale deployment web -n shop --replicas=3',
  '      - kubectl get deployment web -n shop -o yaml > manifests/web.yaml',
];

function labFolder(cluster: string[], extra: (dir: string) => void = () => undefined): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lab-')), 'shaped');
  mkdirSync(join(dir, 'files', 'manifests'), { recursive: true });
  mkdirSync(join(dir, 'objects'));
  writeFileSync(
    join(dir, 'files', 'manifests', 'web.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 1\n',
  );
  writeFileSync(
    join(dir, 'objects', 'web.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web, namespace: shop }',
      'spec:',
      '  replicas: 1',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      '    metadata: { labels: { app: web } }',
      '    spec: { containers: [{ name: web, image: nginx }] }',
    ].join('\n'),
  );
  extra(dir);
  const head = ['id: shaped', 'title: { zh-CN: 形状, en: Shape }', 'description: { zh-CN: 说明, en: About }'];
  writeFileSync(join(dir, 'lab.yaml'), [...head, 'estimatedMinutes: 5', ...cluster, ...STEP].join('\n'));
  return join(dir, 'lab.yaml');
}

const SHAPE = [
  'cluster:',
  '  nodes: 2',
  '  addons: [ingress]',
  '  objects:',
  '    - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }',
  '    - { file: objects/web.yaml }',
];

describe('cluster shape and the files/ folder', () => {
  it('are loaded: nodes, add-ons, objects inline or from files, starter files from files/', () => {
    const lab = loadLabFile(labFolder(SHAPE));
    expect(lab.cluster).toMatchObject({ nodes: 2, addons: ['ingress'] });
    expect(lab.cluster?.objects).toHaveLength(2);
    expect(lab.cluster?.objects[0]).toContain('kind: Namespace');
    expect(Object.keys(lab.starterFiles ?? {})).toEqual(['manifests/web.yaml']);
  });

  it('are provisioned by lab test, which proves the lab', async () => {
    const lab = loadLabFile(labFolder(SHAPE));
    const result = await testLab(lab);
    expect(result.steps[0].solutionErrors).toEqual([]);
    expect(result.steps[0].problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('give a session its nodes, add-ons and objects', async () => {
    const session = new LabSession({ lab: loadLabFile(labFolder(SHAPE)) });
    expect(await session.setUp()).toEqual([]);
    const passes = async (yaml: string) => (await evaluateCheck(parseCheck(yaml), session.context)).passed;
    expect(await passes('select: { kind: Node }\ncount: 2')).toBe(true);
    expect(await passes('select: { kind: Pod, namespace: ingress-nginx }')).toBe(true);
    expect(await passes('select: { kind: Pod, namespace: shop }\nwhere: [{ phase: Running }]')).toBe(true);
    expect(session.history).toEqual([]);
  });

  it('report bad shapes with the field', () => {
    const bad = [
      'cluster:',
      '  nodes: 11',
      '  addons: [ingres]',
      '  objects:',
      '    - { file: objects/missing.yaml }',
      '    - { apiVersion: v1, kind: Gadget, metadata: { name: x } }',
    ];
    expect(() => loadLabFile(labFolder(bad))).toThrow('cluster.nodes: at most 10 nodes');
    try {
      loadLabFile(labFolder(bad));
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('cluster.addons[0]: unknown minikube add-on "ingres"');
      expect(message).toContain('cluster.objects[0].file: no such file "objects/missing.yaml"');
      expect(message).toContain('cluster.objects[1]: document 1: unknown kind "Gadget"');
    }
    const duplicate = labFolder([...SHAPE, 'starterFiles:', '  manifests/web.yaml: "x"']);
    expect(() => loadLabFile(duplicate)).toThrow(
      `"manifests/web.yaml" is also in the lab's files/ folder; keep one`,
    );
  });
});
