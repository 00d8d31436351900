/**
 * What check evaluation needs from the platform: a way to read objects (the ClusterDriver's readObjects) and
 * the student's command history; and what it gives back: a verdict with reasons in every language.
 */
import type { KubeObjectJson, ObjectQuery } from '../../clusters/cluster-driver';
import type { Localized } from '../format/types';
import type { TouchedObject } from '../../engine/kubectl/effects';

export type { KubeObjectJson, ObjectQuery };

export interface HistoryEntry {
  command: string;
  /** null when the command never finished (aborted, timed out). */
  exitCode: number | null;
  /** stdout and stderr as the student saw them, when recorded. */
  output?: string;
  /**
   * The kubeconfig context's namespace when the command started ('' = none, i.e. default), when the
   * runner knows it; otherwise it is replayed from the history's `kubectl config set-context` commands.
   */
  contextNamespace?: string;
  /**
   * The namespace the command ran in as its runner recorded it (its -n, else the context's; `*` for -A);
   * absent: worked out from the command line and the context namespace (namespaces.ts).
   */
  namespace?: string;
  /** The objects the command created, changed or deleted, when its runner recorded them. */
  touched?: TouchedObject[];
  /** A background job (`... &`) that is still running: it has no exit code yet. */
  running?: boolean;
}

export interface EvaluationContext {
  readObjects(query: ObjectQuery): Promise<KubeObjectJson[]>;
  history: HistoryEntry[];
  /**
   * The text of a file of the student's home (path relative to `~`), undefined when there is no such file.
   * Absent where the platform cannot read homes: file checks then fail saying so.
   */
  readFile?(path: string): Promise<string | undefined>;
  /**
   * Told of every history check that does not hold, with a test of whether one more command would
   * change its verdict or its reason. With the cluster unchanged, only a command that changes some
   * check can change a grading, so the platform grades again only after one.
   */
  watchHistory?(watch: HistoryWatch): void;
}

/** Whether appending `entry` to the history would change a check's verdict or reason. */
export type HistoryWatch = (entry: HistoryEntry) => boolean;

export interface CheckVerdict {
  passed: boolean;
  /** Why, in words a student understands: what was expected and what was found. */
  reason: Localized;
  /** The author's name for the check, when the lab gives one. */
  label?: Localized;
  /** Names of the objects (or commands) that satisfied the check; hints can show them. */
  matched: string[];
  /** Verdicts of the inner checks of all/any/not. */
  children?: CheckVerdict[];
}

export interface StepVerdict {
  stepId: string;
  passed: boolean;
  points: number;
  checks: CheckVerdict[];
}
