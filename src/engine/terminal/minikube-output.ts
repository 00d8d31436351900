/**
 * How minikube v1.33.1 writes its messages: an emoji prefix per style (pkg/minikube/style), fatal errors as
 * `❌  Exiting due to <ID>: ...` between blank lines, and for internal errors the boxed request to report an issue.
 */
import { displayWidth } from '../addons/table';

export const STYLE = {
  tip: '💡  ',
  warning: '❗  ',
  option: '    ▪ ',
  addonEnable: '🌟  ',
  addonDisable: '🌑  ',
  healthCheck: '🔎  ',
  verifying: '🤔  ',
  launch: '🚀  ',
  enabling: '🔌  ',
  failure: '❌  ',
} as const;

/** minikube's exit codes (pkg/minikube/reason/exitcodes.go). */
export const EXIT = { programError: 10, guestUnavailable: 89, svcUnsupported: 116 } as const;

/** exit.Message: a blank line, the failure, a blank line. */
export function fatal(id: string, message: string): string {
  return `\n${STYLE.failure}Exiting due to ${id}: ${message}\n\n`;
}

/** exit.Error of an unexpected failure: the message, then the box asking for an issue with the command's log. */
export function fatalWithIssueBox(id: string, message: string, logFile: string): string {
  const lines = [
    '',
    '😿  If the above advice does not help, please let us know:',
    '👉  https://github.com/kubernetes/minikube/issues/new/choose',
    '',
    'Please run `minikube logs --file=logs.txt` and attach logs.txt to the GitHub issue.',
    'Please also attach the following file to the GitHub issue:',
    `- ${logFile}`,
    '',
  ];
  const inner = Math.max(...lines.map(displayWidth)) + 8;
  const box =
    `╭${'─'.repeat(inner)}╮\n` +
    lines.map((l) => `│    ${l}${' '.repeat(inner - 4 - displayWidth(l))}│\n`).join('') +
    `╰${'─'.repeat(inner)}╯\n`;
  return `\n${STYLE.failure}Exiting due to ${id}: ${message}\n\n${box}\n`;
}
