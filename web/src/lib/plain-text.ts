/**
 * Terminal output as plain text, for places that show it outside the terminal (replay, live files): the
 * colour and cursor sequences the terminal interprets (`kubectl cluster-info` colours its output) are removed,
 * so they do not show as `[0;32m`.
 */
// ESC [ parameters intermediates final (CSI), and ESC ] ... BEL or ESC \ (OSC, e.g. window titles).
const CONTROL_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function plainText(output: string): string {
  return output.replace(CONTROL_SEQUENCE, '').replace(/\r\n/g, '\n');
}
