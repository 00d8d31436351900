export type { Clock } from './clock';
export { ManualClock, RealClock } from './clock';
