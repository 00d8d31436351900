/**
 * The authoring API's shapes as the lab editor names them; the contract itself is src/shared/authoring-api.ts
 * (HTTP) and src/shared/events.ts (the `authoring.*` websocket events).
 */
export type {
  AuthorRef as Author,
  AuthoringLabs,
  Draft,
  DraftConflict as DraftConflictBody,
  DraftSaved as SavedFile,
  DraftSummary,
  DraftValidation as Validation,
  LabFileMap as LabFiles,
  LabPreview,
  LabProblem,
  LabSummary,
  Proof as ProofView,
  ProofState,
  ProofStep as ProofStepResult,
  PublishedSummary,
} from '@shared/authoring-api';
export type { DraftChanged as DraftChangedEvent, ProofProgress as ProofEvent } from '@shared/events';
