import { parseCustomColumnsFile, parseCustomColumnsSpec, printCustomColumns } from './custom-columns';

const pods = [
  {
    metadata: { name: 'web-1', labels: { app: 'web' } },
    spec: { containers: [{ image: 'nginx' }, { image: 'redis' }] },
  },
  {
    metadata: { name: 'db' },
    spec: { containers: [{ image: 'postgres' }] },
    status: { podIP: '10.244.0.5' },
  },
];

describe('custom columns', () => {
  it('prints a header, aligned rows, comma-joined lists, Go maps and <none>', () => {
    const columns = parseCustomColumnsSpec(
      'NAME:.metadata.name,IMAGES:spec.containers[*].image,IP:{.status.podIP},L:.metadata.labels',
    );
    expect(printCustomColumns(columns, pods, false).text).toBe(
      'NAME    IMAGES        IP           L\n' +
        'web-1   nginx,redis   <none>       map[app:web]\n' +
        'db      postgres      10.244.0.5   <none>\n',
    );
    expect(printCustomColumns(columns, pods, true).text.startsWith('web-1')).toBe(true);
  });

  it('rejects malformed specs with kubectl messages', () => {
    expect(() => parseCustomColumnsSpec('')).toThrow(
      'custom-columns format specified but no custom columns given',
    );
    expect(() => parseCustomColumnsSpec('NAME:.metadata.name,IMAGE')).toThrow(
      'unexpected custom-columns spec: IMAGE, expected <header>:<json-path-expr>',
    );
    expect(() => parseCustomColumnsSpec('A:{.a}{.b}')).toThrow(
      "unexpected path string, expected a 'name1.name2'",
    );
  });

  it('prints the header before a template that fails', () => {
    const printed = printCustomColumns(
      parseCustomColumnsSpec('A:.metadata.name,B:.spec.containers[7]'),
      pods,
      false,
    );
    expect(printed.text).toBe('A     B\n');
    expect(printed.error?.message).toBe('array index out of bounds: index 7, length 2');
  });

  it('reads a columns file of two whitespace-separated lines', () => {
    expect(parseCustomColumnsFile('NAME  IP\nmetadata.name   {.status.podIP}\n')).toEqual([
      { header: 'NAME', template: '{.metadata.name}' },
      { header: 'IP', template: '{.status.podIP}' },
    ]);
    expect(() => parseCustomColumnsFile('NAME IP\n.a\n')).toThrow(
      "number of headers (2) and field specifications (1) don't match",
    );
  });
});
