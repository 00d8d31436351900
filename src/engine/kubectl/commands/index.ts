import type { CommandDef } from '../command';
import { annotateCommand } from './annotate';
import { applyCommand } from './apply';
import { authCanICommand } from './auth';
import { autoscaleCommand } from './autoscale';
import { authWhoamiCommand, createTokenCommand } from './auth-token';
import { createDeploymentCommand, runCommand } from './create';
import { createCronJobCommand, createJobCommand } from './create-batch';
import {
  createConfigMapCommand,
  createNamespaceCommand,
  createSecretDockerRegistryCommand,
  createSecretGenericCommand,
  createSecretTlsCommand,
  createServiceAccountCommand,
} from './create-config';
import { CONFIG_COMMANDS } from './config';
import {
  createClusterRoleBindingCommand,
  createClusterRoleCommand,
  createPdbCommand,
  createPriorityClassCommand,
  createQuotaCommand,
  createRoleBindingCommand,
  createRoleCommand,
} from './create-policy';
import { createServiceCommands } from './create-service';
import { createIngressCommand } from './create-ingress';
import { cpCommand } from './cp';
import { cordonCommandDef, uncordonCommandDef } from './cordon';
import { drainCommand } from './drain';
import { deleteCommand } from './delete';
import { diffCommand } from './diff';
import { editCommand } from './edit';
import { replaceCommand } from './replace';
import { describeCommand } from './describe';
import { eventsCommand } from './events';
import { explainCommand } from './explain';
import { exposeCommand } from './expose';
import { getCommand } from './get';
import { clusterInfoCommand, versionCommand } from './info';
import { apiResourcesCommand, apiVersionsCommand } from './api-resources';
import { labelCommand } from './label';
import { execCommand } from './logs-exec';
import { logsCommand } from './logs';
import { patchCommand } from './patch';
import { portForwardCommand } from './port-forward';
import { proxyCommand } from './proxy';
import {
  rolloutHistoryCommand,
  rolloutPauseCommand,
  rolloutRestartCommand,
  rolloutResumeCommand,
  rolloutStatusCommand,
  rolloutUndoCommand,
} from './rollout';
import { scaleCommand } from './scale';
import { setImageCommand } from './set-image';
import { taintCommand } from './taint';
import { setSelectorCommand } from './set-selector';
import { setEnvCommand, setResourcesCommand, setServiceAccountCommand } from './set-workload';
import { topNodeCommand, topPodCommand } from './top';
import { waitCommand } from './wait';

/** The kubectl commands the lab terminal implements, in `kubectl help` order. */
export const COMMANDS: CommandDef[] = [
  annotateCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  applyCommand,
  authCanICommand,
  authWhoamiCommand,
  autoscaleCommand,
  clusterInfoCommand,
  ...CONFIG_COMMANDS,
  createConfigMapCommand,
  createCronJobCommand,
  createDeploymentCommand,
  createJobCommand,
  createNamespaceCommand,
  createSecretDockerRegistryCommand,
  createSecretGenericCommand,
  createSecretTlsCommand,
  createServiceAccountCommand,
  createTokenCommand,
  createClusterRoleCommand,
  createClusterRoleBindingCommand,
  createPdbCommand,
  createIngressCommand,
  createPriorityClassCommand,
  createQuotaCommand,
  createRoleCommand,
  createRoleBindingCommand,
  ...createServiceCommands,
  cordonCommandDef,
  cpCommand,
  deleteCommand,
  diffCommand,
  drainCommand,
  editCommand,
  replaceCommand,
  describeCommand,
  eventsCommand,
  execCommand,
  explainCommand,
  exposeCommand,
  getCommand,
  labelCommand,
  logsCommand,
  patchCommand,
  portForwardCommand,
  proxyCommand,
  rolloutHistoryCommand,
  rolloutPauseCommand,
  rolloutRestartCommand,
  rolloutResumeCommand,
  rolloutStatusCommand,
  rolloutUndoCommand,
  runCommand,
  scaleCommand,
  setEnvCommand,
  setImageCommand,
  setResourcesCommand,
  setSelectorCommand,
  setServiceAccountCommand,
  taintCommand,
  uncordonCommandDef,
  versionCommand,
  topNodeCommand,
  topPodCommand,
  waitCommand,
];
