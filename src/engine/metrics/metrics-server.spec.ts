import { METRICS_SERVER } from '../addons/metrics-server';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { LAB_START } from '../testing';
import { metricsServerFor } from './metrics-server';
import { podMetricsList } from './objects';

/** A cluster with the metrics-server add-on enabled, advanced `seconds` after enabling it. */
function clusterWithMetrics(seed: number, seconds: number) {
  const clock = new ManualClock(LAB_START);
  const cluster = createCluster({ seed, clock });
  METRICS_SERVER.enable({ api: cluster.api, profile: 'minikube' });
  for (let s = 0; s < seconds; s++) {
    clock.advance(1000);
    cluster.sync();
  }
  return { cluster, clock };
}

const usageOf = (seed: number) => {
  const { cluster } = clusterWithMetrics(seed, 90);
  const state = metricsServerFor(cluster.store).state(cluster.now());
  return podMetricsList(state, cluster.now(), { namespace: 'kube-system' }).map((m) => [
    m.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$|-[a-z0-9]{5}$/, ''),
    m.containers[0].usage,
  ]);
};

describe('metrics-server simulation', () => {
  it('serves the Metrics API once its pod is Ready, and usage once it has scraped twice', () => {
    const { cluster, clock } = clusterWithMetrics(1, 0);
    const server = metricsServerFor(cluster.store);
    expect(server.state(cluster.now())).toEqual({ available: false });
    clock.advance(20_000);
    cluster.sync();
    expect(server.state(cluster.now())).toEqual({ available: true, scrape: undefined });
    clock.advance(60_000);
    cluster.sync();
    const state = server.state(cluster.now());
    expect(state.available && state.scrape?.pods.length).toBeGreaterThan(5);
  });

  it('gives the same usage for the same seed and other usage for another seed', () => {
    expect(usageOf(4)).toEqual(usageOf(4));
    expect(usageOf(4)).not.toEqual(usageOf(5));
  });

  it('stops serving when the add-on is disabled', () => {
    const { cluster } = clusterWithMetrics(1, 90);
    METRICS_SERVER.disable({ api: cluster.api, profile: 'minikube' });
    cluster.sync();
    expect(metricsServerFor(cluster.store).state(cluster.now())).toEqual({ available: false });
  });
});
