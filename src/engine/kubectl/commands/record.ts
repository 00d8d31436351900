/**
 * `--record` (hidden and deprecated in kubectl v1.30, still working): kubectl's RecordFlags. Every verb that takes it
 * (annotate, apply, autoscale, create -f, expose, label, run, scale, set image|resources|serviceaccount in the lab)
 * records the command line in the object's `kubernetes.io/change-cause` annotation, which the deployment controller
 * copies to the new ReplicaSet and `rollout history` shows as CHANGE-CAUSE. pflag prints the deprecation notice (help/kubectl-help.generated.ts,
 * KUBECTL_RECORD_FLAG) each time the flag is set, whatever its value.
 */
import type { KubeObject } from '../../api/types';
import type { FlagSpec, ParsedArgs } from '../argv';
import { changeCause } from '../real-kubectl';

export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export const RECORD_FLAG: FlagSpec = {
  name: 'record',
  type: 'bool',
  default: false,
  description: 'Record current kubectl command in the resource annotation.',
};

/** Sets the change-cause annotation; whether it changed. */
export function recordChangeCause(obj: KubeObject, cause: string): boolean {
  const annotations = (obj.metadata.annotations ??= {});
  if (annotations[CHANGE_CAUSE] === cause) return false;
  annotations[CHANGE_CAUSE] = cause;
  return true;
}

/**
 * ChangeCauseRecorder.Record when `--record` is true (NoopRecorder otherwise): the command line as kubectl's
 * parseCommandArguments writes it (`kubectl`, the words, then every flag set as `--name=value`). Whether it changed.
 */
export function recordCommand(obj: KubeObject, path: readonly string[], args: ParsedArgs): boolean {
  if (args.flags.record !== true) return false;
  return recordChangeCause(obj, changeCause(path, args));
}
