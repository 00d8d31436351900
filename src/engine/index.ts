// Public API of the embedded Kubernetes engine (cluster side). The front end (kubectl, lab terminal) adds its
// exports below the core's.
export type { Clock } from './clock/clock';
export { ManualClock, RealClock, ScaledClock, wallClock } from './clock/clock';
export type { ClusterOptions, ClusterSnapshot } from './cluster';
export { Cluster, createCluster, restoreCluster } from './cluster';
export { checkInvariants, InvariantChecker } from './invariants';
export type {
  ApiServer,
  DeleteOptions,
  ListOptions,
  WatchEventType,
  WriteOptions,
} from './server/api-server';
export type { ResourceInfo, ResourceName } from './api/resources';
export { RESOURCES, resourceFor } from './api/resources';
export { StatusError, isStatusError } from './api/status-error';
export type { Status, StatusCause, StatusReason } from './api/status-error';
export type * from './api/types';
export type { ClusterNetwork, ContainerRuntime, ExecResult, HttpResult } from './runtime/types';

// Front end: the lab terminal (kubectl, minikube, curl, pipes, here-documents, stdin), tab completion, the shape
// of a line (what kind of run it is) and bash's job control as pure functions over a job table.
export * from './terminal';
export { runKubectl } from './kubectl/kubectl';
export { queryObjects } from './query';
export { warmUpEngine } from './warm-up';
export type { ObjectSelection } from './query';
