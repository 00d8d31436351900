/**
 * The lab authoring API (/api/authoring/...), as the JSON the client receives; the contract both the
 * server (src/authoring) and the web client's lab editor keep to. Times are ISO strings.
 */
import type { LocalizedText } from './http-api';

/** A lab's files, `{ relativePath: text }`, with the layout of labs/<id>/ (lab.yaml, steps/*.md, files/**). */
export type LabFileMap = Record<string, string>;

/** One problem found in a lab's files: where (file, step, field, line) and what. */
export interface LabProblem {
  file: string;
  step?: string;
  field?: string;
  line?: number;
  message: string;
}

export interface AuthorRef {
  id: string;
  displayName: string;
}

/** A built-in lab from LABS_DIR: read-only, may be copied into a draft. */
export interface LabSummary {
  labId: string;
  title: LocalizedText;
  version: string;
}

export interface DraftSummary {
  draftId: string;
  labId: string;
  courseId: string;
  title: LocalizedText | null;
  revision: number;
  updatedAt: string;
  updatedBy: AuthorRef;
}

export interface PublishedVersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: AuthorRef;
}

export interface PublishedSummary {
  labId: string;
  courseId: string;
  title: LocalizedText;
  shared: boolean;
  versions: PublishedVersionSummary[];
}

/** GET /authoring/labs?courseId=C */
export interface AuthoringLabs {
  builtIn: LabSummary[];
  drafts: DraftSummary[];
  published: PublishedSummary[];
}

/** A draft with its files and the problems of its current revision. */
export interface Draft {
  draftId: string;
  labId: string;
  courseId: string;
  revision: number;
  files: LabFileMap;
  updatedAt: string;
  updatedBy: AuthorRef;
  problems: LabProblem[];
}

/** PUT/DELETE /authoring/drafts/:draftId/files */
export interface DraftSaved {
  revision: number;
  problems: LabProblem[];
}

/** The 409 body of a save whose baseRevision is not the draft's revision: the current state, to merge. */
export interface DraftConflict {
  statusCode: 409;
  code: 'draft_conflict';
  message: string;
  revision: number;
  files: LabFileMap;
}

/** The student-facing content of a loaded lab, for the editor's preview (Markdown in both languages). */
export interface LabPreview {
  labId: string;
  title: LocalizedText;
  description: LocalizedText;
  steps: { id: string; title: LocalizedText; points: number; instructions: LocalizedText }[];
}

/** POST /authoring/drafts/:draftId/validate */
export interface DraftValidation {
  problems: LabProblem[];
  lab?: LabPreview;
}

export type ProofState = 'queued' | 'running' | 'passed' | 'failed';

export interface ProofStep {
  id: string;
  index: number;
  total: number;
  outcome: 'passed' | 'failed';
  message?: string;
}

/** GET /authoring/proofs/:proofId */
export interface Proof {
  proofId: string;
  draftId: string;
  revision: number;
  state: ProofState;
  steps: ProofStep[];
  message?: string;
}

export type RegradeState = 'queued' | 'running' | 'done' | 'failed';

/** GET /authoring/regrades/:regradeId */
export interface Regrade {
  regradeId: string;
  labId: string;
  fromVersion: number;
  toVersion: number;
  state: RegradeState;
  done: number;
  total: number;
}
