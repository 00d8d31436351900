import { FlagError, FlagSpec, findCommandWords, parseArgs } from './argv';

const specs: FlagSpec[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', default: '' },
  { name: 'output', shorthand: 'o', type: 'string', default: '' },
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false },
  { name: 'stdin', shorthand: 'i', type: 'bool', default: false },
  { name: 'tty', shorthand: 't', type: 'bool', default: false },
  { name: 'replicas', shorthand: 'r', type: 'int', default: 1 },
  { name: 'overwrite', type: 'bool', default: false },
  { name: 'env', type: 'stringArray', default: [] },
];

describe('parseArgs (pflag semantics)', () => {
  it('accepts flags before and after arguments, with = or a separate value', () => {
    const parsed = parseArgs(['pods', '-n', 'kube-system', '--output=wide', 'x'], specs);
    expect(parsed.positional).toEqual(['pods', 'x']);
    expect(parsed.flags.namespace).toBe('kube-system');
    expect(parsed.flags.output).toBe('wide');
    expect(parsed.changed).toEqual(new Set(['namespace', 'output']));
  });

  it('starts every parse from fresh defaults, in table order (a repeated flag keeps its place, last default)', () => {
    const table: FlagSpec[] = [
      ...specs,
      { name: 'selector', shorthand: 'l', type: 'string' },
      { name: 'labels', type: 'stringSlice', default: ['a'] },
      { name: 'namespace', type: 'string', default: 'default' },
    ];
    const first = parseArgs(['--env=A=1', '--labels=b'], table);
    expect(first.flags.env).toEqual(['A=1']);
    expect(first.flags.labels).toEqual(['b']);
    (first.flags.env as string[]).push('changed');
    const second = parseArgs([], table);
    expect(second.flags).toEqual({
      namespace: 'default',
      output: '',
      'all-namespaces': false,
      stdin: false,
      tty: false,
      replicas: 1,
      overwrite: false,
      env: [],
      labels: ['a'],
    });
    expect(Object.keys(second.flags)).toEqual(
      Object.keys(second.flags).sort((a, b) => keyOrder(a) - keyOrder(b)),
    );
    expect(second.flags.env).not.toBe(parseArgs([], table).flags.env);
    function keyOrder(name: string) {
      return table.findIndex((s) => s.name === name);
    }
  });

  it('supports attached shorthand values, -n=x and combined boolean shorthands', () => {
    expect(parseArgs(['-owide'], specs).flags.output).toBe('wide');
    expect(parseArgs(['-n=x'], specs).flags.namespace).toBe('x');
    const tty = parseArgs(['-ti', 'pod'], specs);
    expect([tty.flags.tty, tty.flags.stdin, tty.positional]).toEqual([true, true, ['pod']]);
    const combo = parseArgs(['-An', 'ns1'], specs);
    expect([combo.flags['all-namespaces'], combo.flags.namespace]).toEqual([true, 'ns1']);
  });

  it('stops at -- and records where it was', () => {
    const parsed = parseArgs(['pod', '--', 'ls', '-l', '--all'], specs);
    expect(parsed.positional).toEqual(['pod', 'ls', '-l', '--all']);
    expect(parsed.argsLenAtDash).toBe(1);
  });

  it('parses ints and bools like Go and keeps defaults', () => {
    expect(parseArgs([], specs).flags.replicas).toBe(1);
    expect(parseArgs(['--replicas', '3'], specs).flags.replicas).toBe(3);
    expect(parseArgs(['--overwrite=false'], specs).flags.overwrite).toBe(false);
    expect(parseArgs(['--env', 'a=1', '--env=b=2'], specs).flags.env).toEqual(['a=1', 'b=2']);
    expect(parseArgs(['-'], specs).positional).toEqual(['-']);
  });

  it.each([
    [['--foo'], 'unknown flag: --foo'],
    [['--foo=bar'], 'unknown flag: --foo'],
    [['-a'], "unknown shorthand flag: 'a' in -a"],
    [['-tiz'], "unknown shorthand flag: 'z' in -tiz"],
    [['-n'], "flag needs an argument: 'n' in -n"],
    [['--namespace'], 'flag needs an argument: --namespace'],
    [
      ['--replicas=abc'],
      'invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    ],
    [
      ['--overwrite=yes'],
      'invalid argument "yes" for "--overwrite" flag: strconv.ParseBool: parsing "yes": invalid syntax',
    ],
  ])('%j fails with pflag text', (args, message) => {
    expect(() => parseArgs(args, specs)).toThrow(new FlagError(message));
  });
});

describe('findCommandWords (cobra Find)', () => {
  it('skips the values of flags that take one', () => {
    const args = ['-n', 'kube-system', 'get', 'pods'];
    expect(findCommandWords(args, specs, 2)).toEqual([2, 3]);
    expect(findCommandWords(['--namespace=x', 'rollout', '-A', 'status'], specs, 2)).toEqual([1, 3]);
    expect(findCommandWords(['exec', 'p', '--', 'ls'], specs, 3)).toEqual([0, 1]);
  });
});
