export { LabTerminal } from './terminal';
export type { TerminalIO } from './terminal';
export { completions } from './completions';
export type { InputSource } from './input';
export { NO_INPUT, textInput } from './input';
export { isComplete, JOB_CONTROL_BUILTINS, lineShape } from './line-shape';
export type { JobControlBuiltin, LineShape } from './line-shape';
export {
  decodeSignal,
  doneNotice,
  endJob,
  exitOutcome,
  forgetJobs,
  formatJobs,
  jobStatus,
  nextJobNumber,
  parseBg,
  parseDisown,
  parseFg,
  parseKill,
  parseWait,
  processTexts,
  signalOutcome,
  startJob,
  startNotice,
  statusText,
  withMarkers,
  SIGINT,
  SIGKILL,
  SIGTERM,
} from './job-control';
export type {
  BuiltinOutput,
  JobMarker,
  JobOutcome,
  JobState,
  KillPlan,
  ShellJob,
  WaitPlan,
} from './job-control';
