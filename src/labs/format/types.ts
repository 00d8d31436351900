/**
 * The in-memory shape of a lab after loading and validation. The YAML file format that produces it is
 * documented in labs/README.md; everything here is already checked, so evaluators trust it.
 */

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text in every supported language (Markdown where it is prose). */
export type Localized = Record<Language, string>;

export interface Lab {
  id: string;
  /** Path of the lab.yaml it came from, as given to the loader (used in messages). */
  file: string;
  title: Localized;
  description: Localized;
  estimatedMinutes: number;
  /** Where the lab comes in the course (1 = first); labs are listed by position, then by id, unpositioned last. */
  position?: number;
  vars: Record<string, VarDefinition>;
  steps: Step[];
  diagnostics: Diagnostic[];
  /**
   * Files a new lab session's home starts with (path under ~ to text); a lab without them starts with
   * the lab terminal's example manifests (deployment.yaml, service.yaml, pod.yaml).
   */
  starterFiles?: Record<string, string>;
  /** The cluster a session starts from; absent: one node, no add-ons beyond minikube's defaults, no objects. */
  cluster?: ClusterShape;
}

/** `cluster:` of lab.yaml. */
export interface ClusterShape {
  nodes: number;
  /** minikube add-ons enabled before the student starts (`minikube addons enable <name>`). */
  addons: string[];
  /** YAML manifests (one or more documents each) applied before the student starts. */
  objects: string[];
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
  /** A kind the engine's registry serves, spelled as in a manifest (src/labs/format/kinds.ts). */
  kind: string;
  /** Omitted: every namespace (and cluster-scoped kinds). */
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

/** How many selected objects must satisfy the conditions. */
export type CountRule = { equals: number } | { atLeast: number } | 'all';

export type Check = ObjectCheck | RanCheck | RanInOrderCheck | FileCheck | AllCheck | AnyCheck | NotCheck;

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
  /** The namespace the command must have run in (its -n flag, else the context's); may hold {{vars}}. */
  namespace?: string;
}

export interface RanCheck extends CheckBase {
  type: 'ran';
  pattern: CommandPattern;
}

export interface RanInOrderCheck extends CheckBase {
  type: 'ranInOrder';
  patterns: CommandPattern[];
}

/**
 * A file in the student's home (`~`). With `manifest`, it must parse as YAML with a document of that kind;
 * `condition` (a field or length condition) is then checked on that document (else the first one).
 */
export interface FileCheck extends CheckBase {
  type: 'file';
  /** Relative to the home; may hold {{vars}}. */
  path: string;
  exists: boolean;
  manifest?: { kind: string };
  condition?: FieldCondition | LengthCondition;
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

/** A condition on one selected object. String fields (paths, values, regexes, images, names) may hold {{vars}}. */
export type Condition =
  | FieldCondition
  | LengthCondition
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
  | { type: 'field'; path: string; op: 'atLeast' | 'atMost'; expected: number }
  | { type: 'field'; path: string; op: 'exists'; expected: boolean };

/**
 * The size of what a JSONPath selects: a path that selects several values (`[*]`, a filter, a slice, a union,
 * `..`) counts them; a path to one value measures it (list items, map keys, string characters; unset = 0).
 */
export interface LengthCondition {
  type: 'length';
  path: string;
  op: 'equals' | 'atLeast' | 'atMost';
  expected: number;
}

/** A hint shown when its condition holds, e.g. a pod stuck in ImagePullBackOff. */
export interface Diagnostic {
  id: string;
  when: Check;
  hint: Localized;
  /** Steps the hint is relevant to; empty = the whole lab. */
  steps: string[];
}
