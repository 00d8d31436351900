/**
 * The in-memory shape of a lab after loading and validation. The YAML file format that produces it is
 * documented in labs/README.md; everything here is already checked, so evaluators trust it.
 */

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text in every supported language (Markdown where it is prose). */
export type Localized = Record<Language, string>;

/** Kubernetes kinds a lab may select; the engine and the Docker driver both serve these. */
export const KNOWN_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'Service',
  'Endpoints',
  'Node',
  'Namespace',
  'Event',
] as const;
export type KnownKind = (typeof KNOWN_KINDS)[number];

export interface Lab {
  id: string;
  /** Path of the lab.yaml it came from, as given to the loader (used in messages). */
  file: string;
  title: Localized;
  description: Localized;
  estimatedMinutes: number;
  vars: Record<string, VarDefinition>;
  steps: Step[];
  diagnostics: Diagnostic[];
  /**
   * Files a new lab session's home starts with (path under ~ to text); a lab without them starts with
   * the lab terminal's example manifests (deployment.yaml, service.yaml, pod.yaml).
   */
  starterFiles?: Record<string, string>;
}

export interface Step {
  id: string;
  title: Localized;
  instructions: Localized;
  points: number;
  hints: Localized[];
  checks: Check[];
  /** Terminal lines that complete the step; `# advance 30s` lines move the clock. May contain {{vars}}. */
  solution: string[];
  /** The lab's vars (the same object as Lab.vars), so a step can be evaluated on its own. */
  vars: Record<string, VarDefinition>;
}

/**
 * A named value usable as {{name}} in selectors, expected values, regexes, solutions and hints.
 * Fixed values are written in the lab; captured values are read from the cluster when needed.
 */
export type VarDefinition = { value: string } | { select: ObjectSelector; field: string };

/** Which objects a check looks at. String fields may contain {{vars}}. */
export interface ObjectSelector {
  kind: KnownKind;
  /** Omitted: every namespace (and cluster-scoped kinds). */
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

/** How many selected objects must satisfy the conditions. */
export type CountRule = { equals: number } | { atLeast: number } | 'all';

export type Check = ObjectCheck | RanCheck | RanInOrderCheck | AllCheck | AnyCheck | NotCheck;

interface CheckBase {
  /** Optional author-written name of the check, shown next to the generated reason. */
  label?: Localized;
}

export interface ObjectCheck extends CheckBase {
  type: 'objects';
  select: ObjectSelector;
  where: Condition[];
  count: CountRule;
}

/** A command in the student's history (regexes are already validated; they may contain {{vars}}). */
export interface CommandPattern {
  command: string;
  /** 'succeeded' = exit code 0, 'failed' = any other exit code (or none), 'any' = either. */
  status: 'succeeded' | 'failed' | 'any';
  output?: string;
  /** A command line the regex accepts, shown to students instead of the regex (checked at load time). */
  example?: string;
}

export interface RanCheck extends CheckBase {
  type: 'ran';
  pattern: CommandPattern;
}

export interface RanInOrderCheck extends CheckBase {
  type: 'ranInOrder';
  patterns: CommandPattern[];
}

export interface AllCheck extends CheckBase {
  type: 'all';
  checks: Check[];
}

export interface AnyCheck extends CheckBase {
  type: 'any';
  checks: Check[];
}

export interface NotCheck extends CheckBase {
  type: 'not';
  check: Check;
}

/** A condition on one selected object. */
export type Condition =
  | FieldCondition
  | { type: 'phase'; phase: string }
  | { type: 'ready'; ready: boolean }
  | { type: 'waitingReason'; reasons: string[] }
  | { type: 'image'; image: string; container?: string }
  | { type: 'serviceType'; serviceType: string }
  | { type: 'port'; port: number; targetPort?: number; nodePort?: number; protocol?: string }
  | { type: 'rolloutComplete'; complete: boolean }
  | { type: 'selectsPods'; selects: boolean };

export type FieldCondition =
  | { type: 'field'; path: string; op: 'equals'; expected: unknown }
  | { type: 'field'; path: string; op: 'matches'; expected: string }
  | { type: 'field'; path: string; op: 'atLeast'; expected: number }
  | { type: 'field'; path: string; op: 'exists'; expected: boolean };

/** A hint shown when its condition holds, e.g. a pod stuck in ImagePullBackOff. */
export interface Diagnostic {
  id: string;
  when: Check;
  hint: Localized;
  /** Steps the hint is relevant to; empty = the whole lab. */
  steps: string[];
}
