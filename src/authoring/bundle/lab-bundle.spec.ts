import path from 'node:path';
import { validateLabFiles } from '../validation/validate-lab-files';
import { packLab, unpackLab } from './lab-bundle';
import { BUNDLE_MAX_BYTES, BundleError, checkLabFiles, pathProblem } from './lab-files';
import { newLabFiles, readLabFolder, renameLab } from './lab-folder';
import { writeTarGz } from './tar';

const LEC7 = path.resolve(__dirname, '../../../labs/lec7-k8s-basics');

/** Nine aliases of nine aliases …: about 9^6 nodes once expanded. */
const YAML_BOMB = [
  'id: bomb',
  'a: &a [x,x,x,x,x,x,x,x,x]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

describe('lab bundles and their checks', () => {
  it('round-trips a built-in lab through a bundle with the labs/ layout', () => {
    const files = readLabFolder(LEC7);
    const unpacked = unpackLab(packLab('lec7-k8s-basics', files));
    expect(unpacked).toEqual({ folder: 'lec7-k8s-basics', files });
    expect(validateLabFiles('lec7-k8s-basics', unpacked.files).problems).toEqual([]);
  });

  it('refuses a bundle over 2 MiB, before and after unpacking', () => {
    expect(() => unpackLab(Buffer.alloc(BUNDLE_MAX_BYTES + 1))).toThrow(
      'Refused: the bundle is 2.00 MiB, more than the 2.00 MiB a lab may be.',
    );
    // Compresses to a few KiB, but its files hold 3 MiB.
    const big = writeTarGz([
      { path: 'lab/lab.yaml', data: Buffer.from('id: lab\n') },
      { path: 'lab/files/big.txt', data: Buffer.alloc(3 * 1024 * 1024, 'a') },
    ]);
    expect(big.length).toBeLessThan(BUNDLE_MAX_BYTES);
    expect(() => unpackLab(big)).toThrow(/unpacks to more than|more than the 2\.00 MiB a lab may/);
  });

  it('refuses text that is not UTF-8, and binary files', () => {
    const latin1 = writeTarGz([
      { path: 'lab/lab.yaml', data: Buffer.from('id: lab\n') },
      { path: 'lab/description.md', data: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) },
    ]);
    expect(() => unpackLab(latin1)).toThrow(new BundleError('Refused: "description.md" is not UTF-8 text.'));
    expect(() => checkLabFiles({ 'lab.yaml': 'id: x', 'files/a.bin': 'a\0b' })).toThrow(/is binary/);
  });

  it('refuses paths escaping the folder, odd names and a lab without lab.yaml', () => {
    expect(pathProblem('../x.md')).toBe('"../x.md" escapes the lab\'s folder ("..")');
    expect(pathProblem('steps/../../x.md')).toMatch(/escapes the lab's folder/);
    expect(pathProblem('/etc/passwd')).toMatch(/must be a relative path/);
    expect(pathProblem('steps//x.md')).toMatch(/empty or "." part/);
    expect(pathProblem('steps/x;rm.md')).toMatch(/may use only letters/);
    expect(pathProblem('steps/01-第一步.md')).toMatch(/may use only letters/);
    expect(pathProblem('steps/01-scale.md')).toBeUndefined();
    expect(() => checkLabFiles({ 'description.md': 'x' })).toThrow(
      'Refused: a lab needs a lab.yaml at the top of its folder.',
    );
  });

  it('reports a YAML bomb as a problem of lab.yaml instead of expanding it', () => {
    const files = { ...newLabFiles('bomb'), 'lab.yaml': YAML_BOMB };
    const { problems, lab } = validateLabFiles('bomb', files);
    expect(lab).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'lab.yaml',
        message: expect.stringMatching(/aliases expand too much/),
      }),
    ]);
  });

  it('names file, step, field and line of each problem, without the temporary folder', () => {
    const files = newLabFiles('demo');
    files['lab.yaml'] = files['lab.yaml'].replace('points: 10', 'points: ten');
    files['lab.yaml'] = files['lab.yaml'].replace('steps/01-create-namespace.md', 'steps/missing.md');
    const { problems } = validateLabFiles('demo', files);
    expect(problems).toEqual([
      {
        file: 'lab.yaml',
        step: 'create-namespace',
        field: 'instructions.file',
        line: 13,
        message: 'cannot read steps/missing.md: ENOENT',
      },
      {
        file: 'lab.yaml',
        step: 'create-namespace',
        field: 'points',
        line: 14,
        message: 'expected an integer >= 1',
      },
    ]);
  });

  it('keeps the lab id and its folder together when a lab is copied', () => {
    const copy = renameLab(readLabFolder(LEC7), 'lec7-copy');
    expect(copy['lab.yaml']).toMatch(/^id: lec7-copy$/m);
    expect(validateLabFiles('lec7-copy', copy).problems).toEqual([]);
    expect(validateLabFiles('other', copy).problems).toEqual([
      expect.objectContaining({
        file: 'lab.yaml',
        field: 'id',
        message: 'must match the folder name "other"',
      }),
    ]);
  });
});
