import { plainText } from './plain-text';

describe('plainText', () => {
  it('removes colour and cursor sequences and keeps the text', () => {
    expect(
      plainText('Kubernetes control plane is running at \x1b[0;33mhttps://192.168.49.2:8443\x1b[0m\r\n'),
    ).toBe('Kubernetes control plane is running at https://192.168.49.2:8443\n');
    expect(plainText('\x1b[0;32mKubernetes\x1b[0m \x1b[1;31;40mbold\x1b[K\x1b[2J')).toBe('Kubernetes bold');
    expect(plainText('\x1b]0;title\x07after \x1b]2;t\x1b\\end')).toBe('after end');
  });

  it('leaves text without sequences as it is, brackets included', () => {
    expect(plainText('pod/web [0;32m] created\n')).toBe('pod/web [0;32m] created\n');
  });
});
