import { FilterUsageError, parseFilter } from './filters';

function run(name: string, args: string[], input: string): { out: string; code: number } {
  let out = '';
  const filter = parseFilter(name, args).factory((chunk) => (out += chunk));
  // feed in awkward chunks to check line reassembly
  for (let i = 0; i < input.length; i += 7) filter.write(input.slice(i, i + 7));
  const code = filter.end();
  return { out, code };
}

const TEXT = 'NAME   READY\nalpha  1/1 Running\nbeta   0/1 Pending\nGamma  1/1 Running\n';

describe('pipeline filters', () => {
  it('grep selects, inverts, ignores case, counts and sets the exit code', () => {
    expect(run('grep', ['Running'], TEXT)).toEqual({
      out: 'alpha  1/1 Running\nGamma  1/1 Running\n',
      code: 0,
    });
    expect(run('grep', ['-v', 'NAME'], TEXT).out.split('\n')).toHaveLength(4);
    expect(run('grep', ['-ic', 'gamma'], TEXT)).toEqual({ out: '1\n', code: 0 });
    expect(run('grep', ['-E', 'alpha|beta'], TEXT).out).toBe('alpha  1/1 Running\nbeta   0/1 Pending\n');
    expect(run('grep', ['alpha|beta'], TEXT)).toEqual({ out: '', code: 1 });
    expect(run('grep', ['alpha\\|beta'], TEXT).out).toBe('alpha  1/1 Running\nbeta   0/1 Pending\n');
  });

  it('wc -l counts lines; wc alone prints the three counts', () => {
    expect(run('wc', ['-l'], TEXT)).toEqual({ out: '4\n', code: 0 });
    expect(run('wc', [], 'hi there\n').out).toBe('      1       2       9\n');
  });

  it('head and tail take -n N, -nN and -N', () => {
    expect(run('head', ['-n', '2'], TEXT).out).toBe('NAME   READY\nalpha  1/1 Running\n');
    expect(run('head', ['-1'], TEXT).out).toBe('NAME   READY\n');
    expect(run('tail', ['-n1'], TEXT).out).toBe('Gamma  1/1 Running\n');
    expect(run('tail', ['-n', '+3'], TEXT).out).toBe('beta   0/1 Pending\nGamma  1/1 Running\n');
  });

  it('head and tail take -c N for bytes, as coreutils does (outputs checked against GNU head and tail)', () => {
    expect(run('head', ['-c', '7'], TEXT).out).toBe('NAME   ');
    expect(run('head', ['-c5'], 'hello world\n').out).toBe('hello');
    expect(run('head', ['--bytes=-2'], 'hello\n').out).toBe('hell');
    expect(run('tail', ['-c', '+3'], 'hello\n').out).toBe('llo\n');
    expect(run('tail', ['-c', '4'], 'hello\n').out).toBe('llo\n');
    expect(() => parseFilter('head', ['-c', 'x'])).toThrow('head: invalid number of bytes: ‘x’');
    expect(() => parseFilter('head', ['-c'])).toThrow("head: option requires an argument -- 'c'");
  });

  it('rejects bad options with the tools own texts', () => {
    expect(() => parseFilter('grep', ['-Z', 'x'])).toThrow(FilterUsageError);
    expect(() => parseFilter('grep', [])).toThrow('Usage: grep [OPTION]... PATTERNS [FILE]...');
    expect(() => parseFilter('head', ['-n', 'x'])).toThrow('head: invalid number of lines');
    expect(() => parseFilter('wc', ['-q'])).toThrow("wc: invalid option -- 'q'");
  });
});
