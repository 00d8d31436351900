import { evaluateJsonPath, JsonPathError, parseJsonPath } from './expression';

const node = {
  metadata: { name: 'minikube', labels: { 'kubernetes.io/hostname': 'minikube', disktype: 'ssd' } },
  status: {
    addresses: [
      { type: 'InternalIP', address: '192.168.49.2' },
      { type: 'Hostname', address: 'minikube' },
    ],
    conditions: [
      { type: 'MemoryPressure', status: 'False', since: 10 },
      { type: 'Ready', status: 'True', since: 20 },
    ],
  },
};

const values = (path: string, root: unknown = node) => evaluateJsonPath(parseJsonPath(path), root);

describe('single JSONPath expressions (lab checks)', () => {
  it('follows dotted keys in all kubectl spellings', () => {
    expect(values('.metadata.name')).toEqual(['minikube']);
    expect(values('{.metadata.name}')).toEqual(['minikube']);
    expect(values('$.metadata.name')).toEqual(['minikube']);
  });

  it('reads keys with dots and slashes through quoted brackets', () => {
    expect(values("['metadata']['labels']['kubernetes.io/hostname']")).toEqual(['minikube']);
    expect(values('.metadata.labels["disktype"]')).toEqual(['ssd']);
  });

  it('indexes arrays from either end and expands wildcards', () => {
    expect(values('.status.addresses[0].address')).toEqual(['192.168.49.2']);
    expect(values('.status.addresses[-1].type')).toEqual(['Hostname']);
    expect(values('.status.addresses[*].type')).toEqual(['InternalIP', 'Hostname']);
    expect(values('.metadata.labels.*')).toEqual(['minikube', 'ssd']);
    expect(values('.status.addresses[5].type')).toEqual([]);
  });

  it('filters by equality, inequality, numeric comparison and existence', () => {
    expect(values('.status.addresses[?(@.type=="InternalIP")].address')).toEqual(['192.168.49.2']);
    expect(values(".status.conditions[?(@.type == 'Ready')].status")).toEqual(['True']);
    expect(values('.status.conditions[?(@.type!="Ready")].type')).toEqual(['MemoryPressure']);
    expect(values('.status.conditions[?(@.since>=20)].type')).toEqual(['Ready']);
    expect(values('.status.addresses[?(@.address)].type')).toEqual(['InternalIP', 'Hostname']);
  });

  it('descends recursively, slices, unions and escapes dots like kubectl', () => {
    expect(values('..address')).toEqual(['192.168.49.2', 'minikube']);
    expect(values('.status.conditions[0:1].type')).toEqual(['MemoryPressure']);
    expect(values('.status.addresses[0,1].type')).toEqual(['InternalIP', 'Hostname']);
    expect(values('.metadata.labels.kubernetes\\.io/hostname')).toEqual(['minikube']);
  });

  it('yields nothing for missing paths instead of failing', () => {
    expect(values('.spec.replicas')).toEqual([]);
    expect(values('.metadata.name.first')).toEqual([]);
  });

  it.each([
    ['', 'empty JSONPath'],
    ['metadata.name', 'must start with'],
    ['.metadata....name', 'invalid multiple recursive descent'],
    ['.status.addresses[abc]', 'invalid array index abc'],
    ['.status.addresses[0', 'unterminated array'],
    ['.status.addresses[?(@.type=Ready)]', 'unrecognized filter operator ='],
    ['.status.addresses[?(@.type==Ready)]', 'unexpected word "Ready"'],
    ["['unterminated]", 'invalid array index'],
    ['.', 'expected a field name'],
  ])('rejects %p with a message naming the problem', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});
