export { LabTerminal } from './terminal';
export type { LabTerminalOptions, TerminalIO } from './terminal';
export { HOME, HOME_LIMITS, HomeDirectory, HomeError } from './home/home-directory';
export type { HomeEntry, HomeSnapshot } from './home/home-directory';
export { completions } from './completions';
export type { InputSource } from './input';
export { NO_INPUT, textInput } from './input';
export { editorTarget, isComplete, JOB_CONTROL_BUILTINS, lineShape } from './line-shape';
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
