/**
 * The cluster services wired to a driver (usually a fake from src/clusters/testing) and to in-memory
 * repositories, as Nest would wire them, with provisioning and stop jobs run in-process.
 */
import type { ClusterDriver } from '../../clusters/cluster-driver';
import { type AppConfig, parseConfig } from '../../config/app-config';
import type { ClusterRepository } from '../../repositories/cluster.repository';
import type { EventRepository } from '../../repositories/event.repository';
import type { LabSessionRepository } from '../../repositories/lab-session.repository';
import type { RedisRepository } from '../../repositories/redis.repository';
import type { RunSignalsRepository } from '../../repositories/run-signals.repository';
import type { SessionJobsRepository } from '../../repositories/session-jobs.repository';
import {
  InlineJobRepository,
  InMemorySessionJobsRepository,
  RecordingRunSignalsRepository,
  InMemoryClusterRepository,
  InMemoryLabSessionRepository,
  InMemoryRedisRepository,
  RecordingEventRepository,
} from '../../repositories/testing/in-memory-repositories';
import { ClusterEpochService } from '../cluster-epoch.service';
import { ClusterLifecycleService } from '../cluster-lifecycle.service';
import { ClusterLookupService } from '../cluster-lookup.service';
import { ClusterMaintenanceService } from '../cluster-maintenance.service';
import type { SessionRouter } from '../../placement/session-router.service';

export interface ClusterHarness {
  config: AppConfig;
  sessions: InMemoryLabSessionRepository;
  clusters: InMemoryClusterRepository;
  redis: InMemoryRedisRepository;
  events: RecordingEventRepository;
  jobs: InlineJobRepository;
  sessionJobs: InMemorySessionJobsRepository;
  signals: RecordingRunSignalsRepository;
  epochs: ClusterEpochService;
  lifecycle: ClusterLifecycleService;
  lookup: ClusterLookupService;
  maintenance: ClusterMaintenanceService;
}

export function clusterHarness(
  driver: ClusterDriver,
  options: { env?: Record<string, string>; runJobs?: boolean } = {},
): ClusterHarness {
  const config = parseConfig(options.env ?? {});
  const sessions = new InMemoryLabSessionRepository();
  const clusters = new InMemoryClusterRepository(sessions);
  const redis = new InMemoryRedisRepository();
  const events = new RecordingEventRepository();
  const jobs = new InlineJobRepository();
  const sessionJobs = new InMemorySessionJobsRepository();
  const signals = new RecordingRunSignalsRepository();
  // The in-memory classes implement the methods these services call (checked in their declarations).
  const epochs = new ClusterEpochService(config, redis as unknown as RedisRepository);
  const lifecycle = new ClusterLifecycleService(
    config,
    driver,
    clusters as unknown as ClusterRepository,
    sessions as unknown as LabSessionRepository,
    jobs as unknown as SessionRouter,
    events as unknown as EventRepository,
    epochs,
    sessionJobs as unknown as SessionJobsRepository,
    signals as unknown as RunSignalsRepository,
  );
  const lookup = new ClusterLookupService(
    driver,
    clusters as unknown as ClusterRepository,
    lifecycle,
    epochs,
  );
  const maintenance = new ClusterMaintenanceService(
    config,
    driver,
    clusters as unknown as ClusterRepository,
    lifecycle,
  );
  if (options.runJobs ?? true) jobs.runWith(lifecycle.jobHandlers());
  return {
    config,
    sessions,
    clusters,
    redis,
    events,
    jobs,
    sessionJobs,
    signals,
    epochs,
    lifecycle,
    lookup,
    maintenance,
  };
}
