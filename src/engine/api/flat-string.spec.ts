import { flat } from './flat-string';

describe('flat', () => {
  it('gives the same text for a string built from pieces, a literal and the empty string', () => {
    let built = '';
    for (const piece of ['spec.', 'containers', '{', 'web', '}']) built += piece;
    expect(flat(built)).toBe('spec.containers{web}');
    expect(flat(`docker://${'ab'.repeat(32)}`)).toBe(`docker://${'ab'.repeat(32)}`);
    expect(flat('minikube')).toBe('minikube');
    expect(flat('')).toBe('');
  });
});
