import { ConfigError, parseConfig } from './app-config';

describe('parseConfig', () => {
  it('fills every setting with a default when the environment is empty', () => {
    const config = parseConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, publicUrl: 'http://127.0.0.1:3000' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.clusters.driver).toBe('embedded');
    expect(config.commands.maxLineBytes).toBe(4096);
    expect(config.admission).toEqual({ maxWaiting: 1000, maxWaitMs: 2000 });
  });

  it('reads the overload bounds, 0 turning one off, and refuses a negative one', () => {
    expect(parseConfig({ ADMISSION_MAX_WAITING: '5', ADMISSION_MAX_WAIT_MS: '0' }).admission).toEqual({
      maxWaiting: 5,
      maxWaitMs: 0,
    });
    expect(() => parseConfig({ ADMISSION_MAX_WAIT_MS: '-1' })).toThrow(
      'ADMISSION_MAX_WAIT_MS: expected a whole number from 0 to 3600000, got "-1"',
    );
  });

  it('reads values that are given', () => {
    const config = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://root@127.0.0.1:5432/kubelab',
      CLUSTER_DRIVER: 'docker',
      COOKIE_SECURE: 'true',
    });
    expect(config.http.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://root@127.0.0.1:5432/kubelab');
    expect(config.clusters.driver).toBe('docker');
    expect(config.auth.cookieSecure).toBe(true);
  });

  it('names every bad setting in one error', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', REDIS_URL: 'http://x', CLUSTER_DRIVER: 'kvm', COOKIE_SECURE: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'PORT: expected a whole number from 0 to 65535, got "eighty"',
      'REDIS_URL: expected a redis: or rediss: URL, got "http:"',
      'COOKIE_SECURE: expected true or false, got "maybe"',
      'CLUSTER_DRIVER: expected one of embedded, docker, got "kvm"',
    ]);
  });

  it('rejects a database URL that is not PostgreSQL', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: expected a postgres: or postgresql: URL/,
    );
  });

  it('rejects an idle warning that comes after the idle expiry', () => {
    expect(() => parseConfig({ CLUSTER_IDLE_MINUTES: '5', CLUSTER_IDLE_WARNING_MINUTES: '10' })).toThrow(
      /CLUSTER_IDLE_WARNING_MINUTES/,
    );
  });

  it('validates the Docker driver settings only when that driver is chosen', () => {
    expect(() => parseConfig({ DOCKER_HOSTS: 'nonsense' })).not.toThrow();
    expect(() => parseConfig({ CLUSTER_DRIVER: 'docker', DOCKER_HOSTS: 'nonsense' })).toThrow(
      /DOCKER_HOSTS: "nonsense" is not unix:\/\/\/path\/docker.sock or tcp:\/\/host:port/,
    );
    const config = parseConfig({
      CLUSTER_DRIVER: 'docker',
      DOCKER_HOSTS: 'unix:///tmp/a.sock=5,unix:///tmp/b.sock',
    });
    expect(config.clusters.docker?.hosts.map((host) => host.capacity)).toEqual([5, 20]);
  });

  it('reads the cluster time scale: real time by default, faster for kubelab nodes, never for k3s', () => {
    expect(parseConfig({}).clusters.timeScale).toBe(1);
    expect(parseConfig({ CLUSTER_TIME_SCALE: '10' }).clusters.timeScale).toBe(10);
    expect(() => parseConfig({ CLUSTER_TIME_SCALE: '0' })).toThrow(/CLUSTER_TIME_SCALE/);
    const docker = { CLUSTER_DRIVER: 'docker', DOCKER_HOSTS: 'unix:///tmp/a.sock', CLUSTER_TIME_SCALE: '4' };
    expect(parseConfig(docker).clusters.docker?.timeScale).toBe(4);
    expect(() => parseConfig({ ...docker, NODE_IMAGE: 'k3s' })).toThrow(
      /CLUSTER_TIME_SCALE: a k3s node runs in real time/,
    );
  });

  it('reads the log format: auto by default, json or pretty when asked, nothing else', () => {
    expect(parseConfig({}).logFormat).toBe('auto');
    expect(parseConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(parseConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => parseConfig({ LOG_FORMAT: 'text' })).toThrow(
      'LOG_FORMAT: expected one of auto, json, pretty, got "text"',
    );
  });

  it('reads the records retention: off by default, in days, trimming only after an export unless told', () => {
    expect(parseConfig({}).records).toEqual({ retentionDays: 0, trimWithoutExport: false });
    expect(
      parseConfig({ RECORDS_RETENTION_DAYS: '150', RECORDS_TRIM_WITHOUT_EXPORT: 'true' }).records,
    ).toEqual({ retentionDays: 150, trimWithoutExport: true });
    expect(() => parseConfig({ RECORDS_RETENTION_DAYS: '-3' })).toThrow(
      'RECORDS_RETENTION_DAYS: expected a whole number from 0 to 36500, got "-3"',
    );
  });

  it('reads which hosts a worker serves', () => {
    expect(parseConfig({}).worker.hosts).toBe('all');
    expect(parseConfig({ WORKER_HOSTS: 'docker-1a2b3c4d,docker-5e6f7a8b' }).worker.hosts).toEqual([
      'docker-1a2b3c4d',
      'docker-5e6f7a8b',
    ]);
    expect(() => parseConfig({ WORKER_HOSTS: 'a b' })).toThrow(/WORKER_HOSTS/);
  });

  it('reads how long an idle session keeps its worker', () => {
    expect(parseConfig({}).worker.placementIdleSeconds).toBe(120);
    expect(parseConfig({ PLACEMENT_IDLE_SECONDS: '5' }).worker.placementIdleSeconds).toBe(5);
    expect(() => parseConfig({ PLACEMENT_IDLE_SECONDS: '1' })).toThrow(/PLACEMENT_IDLE_SECONDS/);
  });
});
