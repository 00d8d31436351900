import type { PodSpec } from '../api/types';
import { defaultPodSpec } from './defaults';

describe('defaultPodSpec', () => {
  it('stores quantities written as YAML numbers in canonical text, as the API server decodes them', () => {
    const spec = {
      containers: [
        {
          name: 'c',
          image: 'nginx',
          resources: { requests: { cpu: 0.5, memory: '64Mi' }, limits: { cpu: 1 } },
        },
      ],
    } as unknown as PodSpec;
    defaultPodSpec(spec);
    expect(spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '64Mi' },
      limits: { cpu: '1' },
    });
  });
});
