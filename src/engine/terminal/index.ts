export { LabTerminal } from './terminal';
export type { TerminalIO } from './terminal';
export { completions } from './completions';
