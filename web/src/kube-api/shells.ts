import type { KubeApiSetup } from '@shared/kube-api';

/** The shells a one-line set-up is offered for, in the order the panel lists them. */
export type Shell = keyof KubeApiSetup;
export const SHELLS: readonly Shell[] = ['linux', 'macos', 'windows'];

/**
 * The shell to show first: the student's own system as the browser reports it, since that is where they will
 * paste the line. Anything not recognisably Windows or macOS gets the Linux line (ChromeOS, BSDs and Linux
 * share its POSIX shell).
 */
export function shellOf(userAgent: string): Shell {
  if (/Windows/i.test(userAgent)) return 'windows';
  if (/Macintosh|Mac OS X/i.test(userAgent)) return 'macos';
  return 'linux';
}
