import { openApiV3GroupVersion } from '../../../src/engine/http/openapi';
import { OpenApiDocument, SchemaIndex } from './k8s-schema';
import { checkManifests, Issue, manifestApiVersions, SchemaLookup } from './manifest-check';

/** The engine's own documents, as GET /api/schema/openapi/v3/... serves them. */
const served: SchemaLookup = (apiVersion) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const doc = openApiV3GroupVersion(group, version) as OpenApiDocument | undefined;
  return doc ? new SchemaIndex(doc) : null;
};

/** `kubectl create deployment web --image=nginx --dry-run=client -o yaml`, as kubectl v1.30 prints it. */
const GENERATED = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;

/** Each issue with the text it marks. */
function check(text: string, lookup = served): [string, string][] {
  return checkManifests(text, lookup).map((issue: Issue) => [
    text.slice(issue.from, issue.to),
    issue.message,
  ]);
}

describe('checkManifests', () => {
  it('accepts what kubectl generates', () => {
    expect(check(GENERATED)).toEqual([]);
  });

  it('names an unknown field with its path, as strict field validation does', () => {
    expect(check(GENERATED.replace('  replicas: 1', '  replicaz: 3'))).toEqual([
      ['replicaz', 'unknown field "spec.replicaz"'],
    ]);
    expect(check(GENERATED.replace('        name: nginx', '        nmae: nginx'))).toEqual([
      ['nmae', 'unknown field "spec.template.spec.containers[0].nmae"'],
      ['image', 'spec.template.spec.containers[0].name: Required value'],
    ]);
  });

  it("reports a value of the wrong type in the API server's decoder words", () => {
    expect(check(GENERATED.replace('replicas: 1', 'replicas: "3"'))).toEqual([
      [
        '"3"',
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
    ]);
    expect(check(GENERATED.replace('replicas: 1', 'replicas: 1.5'))).toEqual([
      [
        '1.5',
        'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
    ]);
    expect(check(GENERATED.replace('    app: web\n  name: web', '    app: 7\n  name: web'))).toEqual([
      ['7', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ]);
    expect(check(GENERATED.replace('      - image: nginx', '      - image: [nginx]'))).toEqual([
      [
        '[nginx]',
        'json: cannot unmarshal array into Go struct field Container.spec.template.spec.containers.image of type string',
      ],
    ]);
    expect(check(GENERATED.replace('  strategy: {}', '  strategy: fast'))).toEqual([
      [
        'fast',
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy',
      ],
    ]);
  });

  it('marks a missing required field at the key that holds it', () => {
    const noSelector = GENERATED.replace('  selector:\n    matchLabels:\n      app: web\n', '');
    expect(check(noSelector)).toEqual([['spec', 'spec.selector: Required value']]);
  });

  it('accepts numbers and strings where the type takes both', () => {
    const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: http
  - port: 81
    targetPort: 8081
`;
    expect(check(service)).toEqual([]);
    expect(check(service.replace('targetPort: http', 'targetPort: {a: 1}'))).toEqual([
      [
        '{a: 1}',
        'json: cannot unmarshal object into Go struct field ServicePort.spec.ports.targetPort of type intstr.IntOrString',
      ],
    ]);
  });

  it('checks every document of a file and says what is not served', () => {
    const text = `${GENERATED}---\napiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: x}\n---\napiVersion: example.com/v9\nkind: Thing\n---\nkind: ConfigMap\n`;
    expect(check(text)).toEqual([
      ['Deploymnt', 'no matches for kind "Deploymnt" in version "apps/v1"'],
      ['example.com/v9', 'no matches for kind "Thing" in version "example.com/v9"'],
      ['kind', 'error validating data: [apiVersion not set]'],
    ]);
    expect(manifestApiVersions(text)).toEqual(['apps/v1', 'example.com/v9']);
  });

  it('reports YAML that does not parse and skips schemas it does not know yet', () => {
    const broken = check('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n c: d\n');
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0][1]).toMatch(/^error converting YAML to JSON: /);
    expect(check(GENERATED.replace('replicas', 'replicaz'), () => undefined)).toEqual([]);
    expect(check('')).toEqual([]);
    expect(check('just text')).toEqual([
      ['just text', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ]);
  });
});
