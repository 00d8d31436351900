import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ClusterDriver } from './cluster-driver';
import { DockerClusterDriver } from './docker/docker-cluster-driver';
import type { DockerDriverSettings } from './docker/docker-settings';
import { EmbeddedClusterDriver } from './embedded/embedded-cluster.driver';

export const CLUSTER_DRIVER = Symbol('CLUSTER_DRIVER');

export function createClusterDriver(config: AppConfig): ClusterDriver {
  switch (config.clusters.driver) {
    case 'embedded':
      return new EmbeddedClusterDriver({ timeScale: config.clusters.timeScale });
    case 'docker':
      // parseConfig validated the Docker settings whenever the docker driver is chosen.
      return new DockerClusterDriver(config.clusters.docker as DockerDriverSettings);
  }
}

export const clusterDriverProvider: Provider = {
  provide: CLUSTER_DRIVER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createClusterDriver(config),
};
