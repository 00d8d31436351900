import type { TimerQueue } from '../clock/timer-queue';
import type { Random } from '../store/random';
import type { ObjectStore } from '../store/store';
import type { KubeApiServer } from '../server/kube-api-server';
import type { EventRecorder } from './events';

/** What every controller works with: reads from the store, writes through the API server. */
export interface ControllerContext {
  server: KubeApiServer;
  store: ObjectStore;
  events: EventRecorder;
  timers: TimerQueue;
  random: Random;
  /** Simulation time (epoch ms). */
  now(): number;
}

/** A timer kind whose only job is to wake the reconcile loops at a given time (e.g. a progress deadline). */
export const WAKE = 'wake';

/** A reconcile loop and the resources whose changes can give it work. */
export interface Controller {
  readonly watches: readonly import('../api/resources').ResourceName[];
  /** `forced`: a pass after a WAKE timer (every controller runs; time-based conditions may have come due). */
  reconcile(forced?: boolean): void;
  /**
   * Told that the store is at a state where this controller has nothing to do (a fresh cluster from the boot
   * image, recorded at a fixpoint of every controller), so it can skip its first full pass.
   */
  assumeSettled?(): void;
}
