import type { CommandDef } from '../command';
import { applyCommand } from './apply';
import { createDeploymentCommand, runCommand } from './create';
import { deleteCommand } from './delete';
import { describeCommand } from './describe';
import { exposeCommand } from './expose';
import { getCommand } from './get';
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from './info';
import { labelCommand } from './label';
import { execCommand, logsCommand } from './logs-exec';
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
import { waitCommand } from './wait';

/** The kubectl commands the lab terminal implements, in `kubectl help` order. */
export const COMMANDS: CommandDef[] = [
  apiResourcesCommand,
  applyCommand,
  clusterInfoCommand,
  createDeploymentCommand,
  deleteCommand,
  describeCommand,
  execCommand,
  exposeCommand,
  getCommand,
  labelCommand,
  logsCommand,
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
  setImageCommand,
  versionCommand,
  waitCommand,
];
