import { attachmentName } from './attachment-name';

const FALLBACK = 'kubelab.kubeconfig';

describe('attachmentName', () => {
  it('takes the quoted or bare filename of an attachment', () => {
    expect(attachmentName('attachment; filename="kubelab-abc.kubeconfig"', FALLBACK)).toBe(
      'kubelab-abc.kubeconfig',
    );
    expect(attachmentName('attachment; filename=kubeconfig.yaml', FALLBACK)).toBe('kubeconfig.yaml');
    expect(attachmentName('attachment; filename="a \\"b\\".yaml"', FALLBACK)).toBe('a "b".yaml');
  });

  it('prefers the UTF-8 filename* over the plain one', () => {
    expect(
      attachmentName(
        `attachment; filename="lab.kubeconfig"; filename*=UTF-8''%E5%AE%9E%E9%AA%8C.kubeconfig`,
        FALLBACK,
      ),
    ).toBe('实验.kubeconfig');
  });

  it('falls back when there is no header, no name, or a malformed encoding', () => {
    expect(attachmentName(null, FALLBACK)).toBe(FALLBACK);
    expect(attachmentName('attachment', FALLBACK)).toBe(FALLBACK);
    expect(attachmentName(`attachment; filename*=UTF-8''%E5%ZZ`, FALLBACK)).toBe(FALLBACK);
  });

  it('strips path separators and control characters so the name stays one file in the downloads folder', () => {
    expect(attachmentName('attachment; filename="../../.bashrc"', FALLBACK)).toBe('.....bashrc');
    expect(attachmentName('attachment; filename="a\\\\b/c.yaml"', FALLBACK)).toBe('abc.yaml');
    expect(attachmentName('attachment; filename="x\u0007y.yaml"', FALLBACK)).toBe('xy.yaml');
    expect(attachmentName('attachment; filename=".."', FALLBACK)).toBe(FALLBACK);
    expect(attachmentName('attachment; filename="/"', FALLBACK)).toBe(FALLBACK);
  });
});
