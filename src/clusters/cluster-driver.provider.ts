import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ClusterDriver } from './cluster-driver';
import { EmbeddedClusterDriver } from './embedded/embedded-cluster.driver';

export const CLUSTER_DRIVER = Symbol('CLUSTER_DRIVER');

export function createClusterDriver(config: AppConfig): ClusterDriver {
  switch (config.clusters.driver) {
    case 'embedded':
      return new EmbeddedClusterDriver();
    case 'docker':
      throw new Error('CLUSTER_DRIVER=docker: the Docker driver is not wired in yet');
  }
}

export const clusterDriverProvider: Provider = {
  provide: CLUSTER_DRIVER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createClusterDriver(config),
};
