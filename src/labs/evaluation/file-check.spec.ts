import { parseCheck } from '../loader/loader';
import { LabSession } from '../runner/lab-session';
import { evaluateCheck } from './evaluate';
import { readObjectsFromList } from './objects-from-list';

describe('file checks', () => {
  let session: LabSession;
  const grade = (yaml: string) =>
    evaluateCheck(parseCheck(yaml, ['file']), session.context, { file: { value: 'web.yaml' } });

  beforeAll(async () => {
    session = new LabSession();
    await session.run(
      'kubectl create deployment web --image=nginx --replicas=3 --dry-run=client -o yaml > web.yaml',
    );
    await session.run('mkdir manifests');
    await session.run("echo 'kind: [' > manifests/broken.yaml");
  });

  it('see files the terminal wrote, and their absence', async () => {
    expect((await grade("file: { path: '{{file}}' }")).passed).toBe(true);
    expect((await grade('file: { path: web.yaml, exists: true }')).reason.en).toBe('~/web.yaml exists.');
    const missing = await grade('file: { path: ingress.yaml }');
    expect(missing).toMatchObject({
      passed: false,
      reason: { en: '~/ingress.yaml: expected a file, found none.' },
    });
    expect((await grade('file: { path: ingress.yaml, exists: false }')).passed).toBe(true);
    expect((await grade('file: { path: manifests }')).passed).toBe(false);
  });

  it('parse a file as a manifest of a kind', async () => {
    expect((await grade('file: { path: web.yaml, manifest: { kind: Deployment } }')).reason.en).toBe(
      '~/web.yaml holds a Deployment web.',
    );
    const wrongKind = await grade('file: { path: web.yaml, manifest: { kind: Service } }');
    expect(wrongKind.reason.en).toBe('~/web.yaml: expected a Service manifest, found kinds: Deployment.');
    const broken = await grade('file: { path: manifests/broken.yaml, manifest: { kind: Pod } }');
    expect(broken.passed).toBe(false);
    expect(broken.reason.en).toMatch(/^~\/manifests\/broken\.yaml is not valid YAML: /);
  });

  it('compare a field or a length of the manifest', async () => {
    expect((await grade('file: { path: web.yaml, field: .spec.replicas, equals: 3 }')).passed).toBe(true);
    const wrong = await grade(
      'file: { path: web.yaml, manifest: { kind: Deployment }, field: .spec.replicas, equals: 2 }',
    );
    expect(wrong.reason.en).toBe('~/web.yaml: expected .spec.replicas equal to 2, but .spec.replicas is 3.');
    const containers =
      "file: { path: web.yaml, length: { path: '.spec.template.spec.containers', equals: 1 } }";
    expect((await grade(containers)).passed).toBe(true);
  });

  it('are validated when loading', () => {
    expect(() => parseCheck('file: { path: ../etc/passwd }')).toThrow('must be a path inside the home');
    expect(() => parseCheck('file: { path: a.yaml, manifest: { kind: Deploy } }')).toThrow(
      'unknown kind "Deploy"',
    );
    expect(() => parseCheck('file: { path: a.yaml, equals: 3 }')).toThrow(
      'file.equals: needs a field: JSONPath to compare',
    );
    expect(() => parseCheck('file: { path: a.yaml, exists: false, manifest: { kind: Pod } }')).toThrow(
      'exists: false cannot be combined',
    );
  });

  it('fail with a reason where the platform cannot read files', async () => {
    const verdict = await evaluateCheck(parseCheck('file: { path: web.yaml }'), {
      readObjects: readObjectsFromList([]),
      history: [],
    });
    expect(verdict).toMatchObject({
      passed: false,
      reason: { en: '~/web.yaml: this cluster cannot read your files.' },
    });
  });
});
