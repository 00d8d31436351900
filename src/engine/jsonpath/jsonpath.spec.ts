import {
  executeTemplate,
  goFloat,
  goSharpV,
  goSprint,
  JsonPathExecutionError,
  JsonPathSyntaxError,
  parseTemplate,
  relaxedJsonPath,
  selectValues,
} from './index';
import { unquoteExtend } from './parser';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', 'kubernetes.io/name': 'w' }, creationTimestamp: null },
  spec: {
    containers: [
      { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] },
      { name: 'b', image: 'busybox' },
      { name: 'c', image: 'redis' },
    ],
  },
};

const run = (template: string, data: unknown = pod, numbers: 'int64' | 'float64' = 'int64') =>
  executeTemplate(template, data, { numbers });
const syntaxError = (template: string) => {
  try {
    parseTemplate(template);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return error.message;
    throw error;
  }
  return undefined;
};
const runError = (template: string, numbers: 'int64' | 'float64' = 'int64') => {
  try {
    run(template, pod, numbers);
  } catch (error) {
    if (error instanceof JsonPathExecutionError) return error.message;
    throw error;
  }
  return undefined;
};

describe('kubectl JSONPath', () => {
  it('prints text, fields, objects as sorted compact JSON and several results joined by spaces', () => {
    expect(run('x{.kind}y')).toBe('xPody');
    expect(run('{.spec.containers[*].name}')).toBe('a b c');
    expect(run('{.metadata.labels}')).toBe('{"app":"web","kubernetes.io/name":"w"}');
    expect(run('{.metadata.creationTimestamp}')).toBe('null');
    expect(run('{.metadata.missing}{.kind}')).toBe('Pod');
  });

  it('escapes dots in keys; a quoted key in brackets is split at dots as kubectl does', () => {
    expect(run('{.metadata.labels.kubernetes\\.io/name}')).toBe('w');
    expect(run("{.metadata.labels['kubernetes.io/name']}")).toBe('');
    expect(run("{.metadata['name']}")).toBe('web');
  });

  it('descends recursively', () => {
    expect(run('{..image}')).toBe('nginx busybox redis');
    expect(run('{..containerPort}')).toBe('80');
    expect(syntaxError('{....a}')).toBe('invalid multiple recursive descent');
  });

  it('indexes, slices with steps and unions', () => {
    expect(run('{.spec.containers[-1].name}')).toBe('c');
    expect(run('{.spec.containers[0:2].name}')).toBe('a b');
    expect(run('{.spec.containers[::2].name}')).toBe('a c');
    expect(run('{.spec.containers[1:].name}')).toBe('b c');
    expect(run('{.spec.containers[0,2].name}')).toBe('a c');
    expect(run("{.metadata['name','kind']}")).toBe('web');
    expect(runError('{.spec.containers[5]}')).toBe('array index out of bounds: index 5, length 3');
    expect(runError('{.spec.containers[0:9]}')).toBe('array index out of bounds: index 8, length 3');
    expect(runError('{.spec.containers[::-1]}')).toBe('step must be > 0');
    expect(runError('{.kind[0]}')).toBe('string is not array or slice');
  });

  it('filters with comparisons, existence and kubectl type rules', () => {
    expect(run('{.spec.containers[?(@.name=="b")].image}')).toBe('busybox');
    expect(run("{.spec.containers[?(@.name!='b')].image}")).toBe('nginx redis');
    expect(run('{.spec.containers[?(@.name>"a")].name}')).toBe('b c');
    expect(run('{.spec.containers[?(@.ports)].name}')).toBe('a');
    expect(run('{.spec.containers[0].ports[?(@.containerPort>=80)].containerPort}')).toBe('80');
    expect(runError('{.spec.containers[0].ports[?(@.containerPort>=80)].containerPort}', 'float64')).toBe(
      'incompatible types for comparison',
    );
    expect(run('{.spec.containers[0].ports[?(@.containerPort==80.0)].containerPort}', pod, 'float64')).toBe(
      '80',
    );
    expect(runError('{.metadata[?(@.x==1)]}')).toMatch(
      /^map\[.*\] is not array or slice and cannot be filtered$/,
    );
  });

  it('ranges over values and reports a stray end or an unknown word when run', () => {
    expect(run('{range .spec.containers[*]}{.name}={.image}{"\\n"}{end}')).toBe(
      'a=nginx\nb=busybox\nc=redis\n',
    );
    expect(run('{range .spec.containers[*]}[{.name}]{end}!')).toBe('[a][b][c]!');
    expect(run('{range .nothing[*]}x{end}y')).toBe('y');
    expect(runError('{end}')).toBe('not in range, nothing to end');
    expect(runError('{bogus}')).toBe('unrecognized identifier bogus');
  });

  it('reads literals', () => {
    expect(run('{"a\\tb"}{\'c\'}{5}{2.0}{true}')).toBe('a\tbc52true');
    expect(unquoteExtend('"\\u00e9\\x41\\101"')).toBe('éAA');
    expect(unquoteExtend('"\\q"')).toBeUndefined();
  });

  it.each([
    ['{.a', 'unclosed action'],
    ['{.a\n}', 'unclosed action'],
    ['{.a[0', 'unterminated array'],
    ['{.a[x]}', 'invalid array index x'],
    ['{.a["x"]}', 'invalid array index "x"'],
    ['{.a[?(@.x==1)}', 'unclosed array expect ]'],
    ['{.a[?(@.x==1', 'unterminated filter'],
    ['{"abc}', 'unterminated quoted string'],
    ['{"\\q"}', 'unquote string "\\q" error invalid syntax'],
    ['{.a,.b}', "unrecognized character in action: U+002C ','"],
    ['{1.2.3}', 'cannot parse number 1.2.3'],
  ])('rejects %p: %s', (template, message) => {
    expect(syntaxError(template)).toBe(message);
  });
});

describe('relaxed expressions and single selections', () => {
  it('accepts every spelling custom columns and --sort-by allow', () => {
    expect(relaxedJsonPath('metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('.metadata.name')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('{metadata.name}')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('{.metadata.name}')).toBe('{.metadata.name}');
    expect(relaxedJsonPath('{.a}{.b}')).toBeUndefined();
    expect(selectValues('spec.containers[*].name', pod)).toEqual(['a', 'b', 'c']);
  });
});

describe('Go value formatting', () => {
  it('prints floats, maps and %#v as Go does', () => {
    expect(goFloat(1234567)).toBe('1.234567e+06');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(0.5)).toBe('0.5');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(goSprint({ b: [1, 'x'], a: null }, 'int64')).toBe('map[a:<nil> b:[1 x]]');
    expect(goSharpV({ b: [1], a: null, c: 'q"' }, 'float64')).toBe(
      'map[string]interface {}{"a":interface {}(nil), "b":[]interface {}{1}, "c":"q\\""}',
    );
  });
});
