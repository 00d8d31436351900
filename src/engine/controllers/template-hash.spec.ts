import type { PodTemplateSpec } from '../api/types';
import { computeTemplateHash, templatesEqualIgnoringHash } from './template-hash';

const template = (image: string): PodTemplateSpec => ({
  metadata: { labels: { app: 'yanwei.app' } },
  spec: { containers: [{ name: 'kubernetes-bootcamp', image }] },
});

describe('pod-template-hash (reference §4.1)', () => {
  it('has the real shape: 1-10 characters of [4-9bcdf], never starting with 4', () => {
    for (let i = 0; i < 200; i++) {
      const hash = computeTemplateHash(template(`nginx:${i}`));
      expect(hash).toMatch(/^[5-9bcdf][4-9bcdf]{0,9}$/);
    }
  });

  it('depends only on the template (ignoring the hash label) and on the collision count', () => {
    const a = template('gcr.io/google-samples/kubernetes-bootcamp:v1');
    const withHash = { ...a, metadata: { labels: { ...a.metadata.labels, 'pod-template-hash': 'x' } } };
    expect(computeTemplateHash(a)).toBe(computeTemplateHash(structuredClone(a)));
    expect(computeTemplateHash(withHash)).toBe(computeTemplateHash(a));
    expect(computeTemplateHash(a)).not.toBe(
      computeTemplateHash(template('jocatalin/kubernetes-bootcamp:v2')),
    );
    expect(computeTemplateHash(a, 1)).not.toBe(computeTemplateHash(a));
    expect(templatesEqualIgnoringHash(a, withHash)).toBe(true);
    expect(templatesEqualIgnoringHash(a, template('nginx'))).toBe(false);
  });

  it('hashes the UTF-8 bytes of the dump: names made before stay the same (non-ASCII labels included)', () => {
    const labelled = (app: string): PodTemplateSpec => ({
      metadata: { labels: { app } },
      spec: { containers: [{ name: 'kubernetes-bootcamp', image: 'nginx' }] },
    });
    expect(computeTemplateHash(template('gcr.io/google-samples/kubernetes-bootcamp:v1'))).toBe('fb967c579');
    expect(computeTemplateHash(labelled('café-中-😀'))).toBe('56f659b7b5');
    // A lone surrogate counts as U+FFFD, as TextEncoder encodes it.
    expect(computeTemplateHash(labelled('lone-\ud800'))).toBe('7f49b57bcc');
    expect(computeTemplateHash(template('nginx'), 3)).toBe('6959dcbffd');
  });
});
