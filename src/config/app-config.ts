/**
 * The platform's configuration, parsed from the environment once at start-up.
 * Every setting is validated here; a missing or bad one stops the process with a message naming it,
 * so nothing later has to wonder whether a value is usable.
 */
import {
  DockerDriverSettings,
  DockerSettingsError,
  dockerSettingsFromEnv,
} from '../clusters/docker/docker-settings';

export type ClusterDriverSetting = 'embedded' | 'docker';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `auto`: readable lines when stdout is a terminal, JSON lines otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  http: { host: string; port: number; publicUrl: string };
  /** Absent → the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  redisUrl: string;
  /** Prefix of every Redis key and queue, so several platforms (or test runs) can share one Redis. */
  redisPrefix: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  auth: {
    sessionTtlHours: number;
    cookieSecure: boolean;
    loginMaxFailuresPerAccount: number;
    loginMaxAttemptsPerIp: number;
    loginWindowSeconds: number;
  };
  clusters: {
    driver: ClusterDriverSetting;
    maxPerStudent: number;
    maxTotal: number;
    idleMinutes: number;
    idleWarningMinutes: number;
    hardLimitMinutes: number;
    provisionTimeoutSeconds: number;
    /**
     * How many times faster than real time cluster clocks run (image pulls, rollouts, AGE): 1 in production;
     * the platform's own end-to-end tests use more so a lab's real-time path takes seconds, not minutes.
     */
    timeScale: number;
    /** Present when the driver is docker. */
    docker?: DockerDriverSettings;
  };
  worker: {
    /** Docker host ids whose command queues this worker consumes (default: every configured host). */
    hosts: string[] | 'all';
    /**
     * A session stays on the worker it was placed on while it keeps queueing jobs or a worker runs one of it
     * (src/placement/); idle this long, its placement lapses and it is placed afresh over the live workers.
     */
    placementIdleSeconds: number;
  };
  commands: {
    workerConcurrency: number;
    timeoutSeconds: number;
    /** Runs that follow changes (`get -w`, port-forward…) or wait for typed input. */
    lastingTimeoutSeconds: number;
    /** Background jobs (` &`): their time limit and how many one session may run at once. */
    backgroundTimeoutSeconds: number;
    backgroundJobsPerSession: number;
    /** A heredoc or pasted block that forms one command. */
    maxBlockBytes: number;
    maxOutputBytes: number;
    maxLineBytes: number;
    ratePerMinute: number;
  };
  /**
   * Overload (issue 21): new commands are refused with a retry hint while the commands queue they would
   * join is beyond either bound (0 turns a bound off).
   */
  admission: {
    /** Drains waiting for a worker slot (one per session at most, the queue folds the rest). */
    maxWaiting: number;
    /** Age of the oldest waiting drain. */
    maxWaitMs: number;
  };
  /** Command records kept over a semester (src/services/record-retention.service.ts). */
  records: RecordsSettings;
  webDir: string;
  labsDir: string;
  /** Each lab session's Kubernetes API for the student's own kubectl (issue 20; src/kube-api/). */
  kubeApi: KubeApiSettings;
}

export interface RecordsSettings {
  /**
   * A session idle this many days has its runs' outputs trimmed to their opening excerpt; 0 (the default):
   * never. Off by default because trimming cannot be undone and how long coursework must be kept is the
   * school's rule, not ours; a semester of 300 students × 2,000 commands is small (bench:records).
   */
  retentionDays: number;
  /** Trim without a complete export of the course after the session's last run (default: refuse). */
  trimWithoutExport: boolean;
}

export interface KubeApiSettings {
  /** The HTTPS listener of the API process: its own port (0 = any free one, the default under NODE_ENV=test). */
  host: string;
  port: number;
  /** What kubeconfigs name as the server (a TLS front's address); default https://HOST:PORT. */
  publicUrl: string | undefined;
  /** An operator's own serving certificate and key (PEM files); default: a CA and certificate made once. */
  certFile: string | undefined;
  keyFile: string | undefined;
  /** The CA kubeconfigs carry with an operator's certificate; none = a publicly trusted certificate. */
  caFile: string | undefined;
  /** Key of the token HMAC; default: a random key kept in DATA_DIR/kube-api-token.key. */
  tokenSecret: string | undefined;
  tokenTtlHours: number;
  /** The worker's internal relay that serves the API requests of its clusters. */
  relayHost: string;
  relayPort: number;
  requestsPerSecond: number;
  watchesPerSession: number;
  streamsPerSession: number;
  /** A watch or stream whose client has not taken what was written for this long is cut off (it never reads). */
  stalledClientSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    return raw;
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return undefined;
    return this.checkUrl(name, raw, protocols);
  }

  url(name: string, fallback: string, protocols: string[]): string {
    return this.checkUrl(name, this.string(name, fallback), protocols) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  }

  pattern(name: string, fallback: string, rule: RegExp, describe: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (rule.test(raw)) return raw;
    this.problems.push(`${name}: expected ${describe}, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  private checkUrl(name: string, raw: string, protocols: string[]): string | undefined {
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name}: expected a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
        return undefined;
      }
      return raw;
    } catch {
      this.problems.push(`${name}: not a valid URL`);
      return undefined;
    }
  }
}

export function parseConfig(env: Env): AppConfig {
  const read = new EnvReader(env);
  const port = read.integer('PORT', 3000, 0, 65535);
  const host = read.string('HOST', '127.0.0.1');
  const config: AppConfig = {
    nodeEnv: read.oneOf('NODE_ENV', 'development', ['development', 'production', 'test'] as const),
    http: {
      host,
      port,
      publicUrl: read.url('PUBLIC_URL', `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, [
        'http:',
        'https:',
      ]),
    },
    databaseUrl: read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: read.integer('DATABASE_POOL_SIZE', 20, 1, 500),
    dataDir: read.string('DATA_DIR', '.data'),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: read.pattern(
      'REDIS_PREFIX',
      'kubelab',
      /^[A-Za-z0-9_.-]{1,40}$/,
      'letters, digits, _ . - (at most 40)',
    ),
    logLevel: read.oneOf('LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error'] as const),
    logFormat: read.oneOf('LOG_FORMAT', 'auto', ['auto', 'json', 'pretty'] as const),
    auth: {
      sessionTtlHours: read.integer('SESSION_TTL_HOURS', 168, 1, 24 * 365),
      cookieSecure: read.boolean('COOKIE_SECURE', false),
      loginMaxFailuresPerAccount: read.integer('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      loginMaxAttemptsPerIp: read.integer('LOGIN_MAX_ATTEMPTS_PER_IP', 30, 1, 100000),
      loginWindowSeconds: read.integer('LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    },
    clusters: {
      driver: read.oneOf('CLUSTER_DRIVER', 'embedded', ['embedded', 'docker'] as const),
      maxPerStudent: read.integer('CLUSTERS_PER_STUDENT', 2, 1, 100),
      maxTotal: read.integer('CLUSTERS_MAX_TOTAL', 5000, 1, 1_000_000),
      idleMinutes: read.integer('CLUSTER_IDLE_MINUTES', 60, 1, 7 * 24 * 60),
      idleWarningMinutes: read.integer('CLUSTER_IDLE_WARNING_MINUTES', 5, 1, 24 * 60),
      hardLimitMinutes: read.integer('CLUSTER_HARD_LIMIT_MINUTES', 8 * 60, 1, 30 * 24 * 60),
      provisionTimeoutSeconds: read.integer('CLUSTER_PROVISION_TIMEOUT_SECONDS', 120, 1, 3600),
      timeScale: read.integer('CLUSTER_TIME_SCALE', 1, 1, 100),
    },
    commands: {
      workerConcurrency: read.integer('WORKER_CONCURRENCY', 50, 1, 1000),
      timeoutSeconds: read.integer('COMMAND_TIMEOUT_SECONDS', 30, 1, 3600),
      lastingTimeoutSeconds: read.integer('COMMAND_LASTING_TIMEOUT_SECONDS', 15 * 60, 1, 24 * 3600),
      backgroundTimeoutSeconds: read.integer('BACKGROUND_JOB_TIMEOUT_SECONDS', 30 * 60, 1, 24 * 3600),
      backgroundJobsPerSession: read.integer('BACKGROUND_JOBS_PER_SESSION', 3, 0, 20),
      maxBlockBytes: read.integer('COMMAND_MAX_BLOCK_BYTES', 256 * 1024, 1024, 4 * 1024 * 1024),
      maxOutputBytes: read.integer('COMMAND_MAX_OUTPUT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      maxLineBytes: read.integer('COMMAND_MAX_LINE_BYTES', 4096, 16, 65536),
      ratePerMinute: read.integer('COMMANDS_PER_MINUTE', 120, 1, 100000),
    },
    worker: {
      hosts:
        read.pattern(
          'WORKER_HOSTS',
          'all',
          /^(all|[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*)$/,
          'all or a comma-separated list of host ids',
        ) === 'all'
          ? 'all'
          : (env.WORKER_HOSTS as string).split(','),
      // Longer than any pause between a session's jobs worth keeping its cluster in memory for; runs that
      // last longer (interactive, background, watches) refresh it while they run.
      placementIdleSeconds: read.integer('PLACEMENT_IDLE_SECONDS', 120, 2, 24 * 3600),
    },
    admission: {
      // One waiting drain per session: 200 students can never pass 1000; a queue this deep is a backlog.
      maxWaiting: read.integer('ADMISSION_MAX_WAITING', 1000, 0, 1_000_000),
      // 200 students wait ≤ 50 ms (p99); the collapse at 800 waits 1.9 s (p50) to 4.6 s (p99).
      maxWaitMs: read.integer('ADMISSION_MAX_WAIT_MS', 2000, 0, 3_600_000),
    },
    records: {
      retentionDays: read.integer('RECORDS_RETENTION_DAYS', 0, 0, 36_500),
      trimWithoutExport: read.boolean('RECORDS_TRIM_WITHOUT_EXPORT', false),
    },
    webDir: read.string('WEB_DIR', 'web/dist'),
    labsDir: read.string('LABS_DIR', 'labs'),
    kubeApi: {
      host: read.string('KUBE_API_HOST', '127.0.0.1'),
      // Several test platforms run at once: each takes a free port unless told otherwise.
      port: read.integer('KUBE_API_PORT', env.NODE_ENV === 'test' ? 0 : 6443, 0, 65535),
      publicUrl: read.optionalUrl('KUBE_API_PUBLIC_URL', ['https:']),
      certFile: env.KUBE_API_CERT_FILE || undefined,
      keyFile: env.KUBE_API_KEY_FILE || undefined,
      caFile: env.KUBE_API_CA_FILE || undefined,
      tokenSecret: env.KUBE_API_TOKEN_SECRET || undefined,
      tokenTtlHours: read.integer('KUBE_API_TOKEN_TTL_HOURS', 24, 1, 24 * 365),
      relayHost: read.string('KUBE_API_RELAY_HOST', '127.0.0.1'),
      relayPort: read.integer('KUBE_API_RELAY_PORT', 0, 0, 65535),
      requestsPerSecond: read.integer('KUBE_API_REQUESTS_PER_SECOND', 50, 1, 100000),
      watchesPerSession: read.integer('KUBE_API_WATCHES_PER_SESSION', 200, 1, 100000),
      streamsPerSession: read.integer('KUBE_API_STREAMS_PER_SESSION', 10, 1, 10000),
      stalledClientSeconds: read.integer('KUBE_API_STALLED_CLIENT_SECONDS', 30, 1, 3600),
    },
  };
  if ((config.kubeApi.certFile === undefined) !== (config.kubeApi.keyFile === undefined))
    read.problems.push('KUBE_API_CERT_FILE and KUBE_API_KEY_FILE: set both or neither');
  if (config.clusters.driver === 'docker') {
    try {
      config.clusters.docker = { ...dockerSettingsFromEnv(env), timeScale: config.clusters.timeScale };
      // A k3s node runs on the host's real clock; only the engine's clock can run faster.
      if (config.clusters.docker.flavour === 'k3s' && config.clusters.timeScale !== 1)
        read.problems.push(
          'CLUSTER_TIME_SCALE: a k3s node runs in real time; leave it at 1 with NODE_IMAGE=k3s',
        );
    } catch (error) {
      if (!(error instanceof DockerSettingsError)) throw error;
      read.problems.push(...error.problems);
    }
  }
  if (config.clusters.idleWarningMinutes >= config.clusters.idleMinutes) {
    read.problems.push('CLUSTER_IDLE_WARNING_MINUTES: must be smaller than CLUSTER_IDLE_MINUTES');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
