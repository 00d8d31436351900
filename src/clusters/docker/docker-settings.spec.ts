import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_K3S_IMAGE,
  DEFAULT_KUBELAB_IMAGE,
  dockerSettingsFromEnv,
  hostSettings,
} from './docker-settings';

describe('dockerSettingsFromEnv', () => {
  test('defaults: one local engine, the project image, 256 MiB / 0.5 CPU / 256 pids, internal network, no pool', () => {
    expect(dockerSettingsFromEnv({})).toEqual({
      hosts: [hostSettings('unix:///var/run/docker.sock', 20)],
      flavour: 'kubelab',
      image: DEFAULT_KUBELAB_IMAGE,
      limits: { memoryBytes: 256 * 2 ** 20, nanoCpus: 500_000_000, pidsLimit: 256 },
      internalNetwork: true,
      warmPoolSize: 0,
      warmPoolNodeCount: 1,
      readyTimeoutMs: 30_000,
      orphanGraceMs: 60_000,
    });
  });

  test('DOCKER_HOSTS lists engines with optional capacities; ids survive reordering', () => {
    const settings = dockerSettingsFromEnv({
      DOCKER_HOSTS: 'unix:///a.sock=40, tcp://10.0.0.5:2375',
      DOCKER_HOST_CAPACITY: '7',
      DOCKER_HOST: 'unix:///ignored.sock',
    });
    expect(settings.hosts.map((h) => [h.dockerHost, h.capacity])).toEqual([
      ['unix:///a.sock', 40],
      ['tcp://10.0.0.5:2375', 7],
    ]);
    const reordered = dockerSettingsFromEnv({ DOCKER_HOSTS: 'tcp://10.0.0.5:2375,unix:///a.sock' });
    expect(reordered.hosts[1].id).toBe(settings.hosts[0].id);
    expect(settings.hosts[0].id).toMatch(/^docker-[0-9a-f]{8}$/);
    expect(dockerSettingsFromEnv({ DOCKER_HOST: 'unix:///b.sock' }).hosts.map((h) => h.dockerHost)).toEqual([
      'unix:///b.sock',
    ]);
  });

  test('k3s gets its image and a longer readiness timeout; everything is tunable', () => {
    const settings = dockerSettingsFromEnv({
      NODE_IMAGE: 'k3s',
      DOCKER_NODE_MEMORY_MB: '1024',
      DOCKER_NODE_CPUS: '1.5',
      DOCKER_NODE_PIDS: '4096',
      DOCKER_NETWORK_INTERNAL: 'false',
      WARM_POOL_SIZE: '3',
      WARM_POOL_NODES: '2',
      DOCKER_ORPHAN_GRACE_SECONDS: '0',
    });
    expect(settings).toMatchObject({
      flavour: 'k3s',
      image: DEFAULT_K3S_IMAGE,
      limits: { memoryBytes: 1024 * 2 ** 20, nanoCpus: 1_500_000_000, pidsLimit: 4096 },
      internalNetwork: false,
      warmPoolSize: 3,
      warmPoolNodeCount: 2,
      readyTimeoutMs: 180_000,
      orphanGraceMs: 0,
    });
  });

  test('every bad value is named in one error', () => {
    expect(() =>
      dockerSettingsFromEnv({
        DOCKER_HOSTS: 'http://x,unix:///a.sock,unix:///a.sock',
        NODE_IMAGE: 'kind',
        DOCKER_NODE_CPUS: 'lots',
        WARM_POOL_SIZE: '-1',
        DOCKER_NETWORK_INTERNAL: 'maybe',
      }),
    ).toThrow(
      [
        'Invalid Docker driver configuration:',
        '  - DOCKER_HOSTS: "http://x" is not unix:///path/docker.sock or tcp://host:port, optionally =capacity',
        '  - DOCKER_HOSTS: unix:///a.sock is listed twice',
        '  - NODE_IMAGE: expected kubelab or k3s, got "kind"',
        '  - DOCKER_NETWORK_INTERNAL: expected true or false, got "maybe"',
        '  - DOCKER_NODE_CPUS: expected a number from 0.05 to 64, got "lots"',
        '  - WARM_POOL_SIZE: expected a whole number from 0 to 1000, got "-1"',
      ].join('\n'),
    );
  });
});

test('the default image is the one docker/node-image/build.sh tags for this package version', () => {
  const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    version: string;
  };
  expect(DEFAULT_KUBELAB_IMAGE).toBe(`kubelab-node:${version}`);
});
