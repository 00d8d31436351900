/** The lab library: lab files, strict loading, declarative checks and diagnostics. Framework-free. */
export * from './format/types';
export { parseSolutionLine } from './format/solution';
export type { SolutionLine } from './format/solution';
export { loadLabFile, loadLabs, parseCheck, LAB_FILE } from './loader/loader';
export { LabLoadError, formatIssue } from './loader/reader';
export type { LabIssue } from './loader/reader';
export { evaluateStep, evaluateCheck } from './evaluation/evaluate';
export type {
  CheckVerdict,
  EvaluationContext,
  HistoryEntry,
  HistoryWatch,
  StepVerdict,
} from './evaluation/context';
export { readObjectsFromList } from './evaluation/objects-from-list';
export { labUsesFiles } from './format/uses-files';
export { selectableKind, selectableKinds } from './format/kinds';
export { diagnose } from './diagnostics/diagnose';
export type { DiagnosticHint } from './diagnostics/diagnose';
