import { PROOF_TIMEOUT_MS } from './run-proof';

/**
 * The time limit of a proof: 60 s (the bound) unless LAB_PROOF_TIMEOUT_SECONDS says otherwise, so
 * that tests can watch a self-test being stopped without waiting a minute. Read where the worker runs
 * proofs; a value that is not a whole number of seconds from 1 to 600 stops the worker at start.
 */
export function proofTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LAB_PROOF_TIMEOUT_SECONDS?.trim();
  if (!raw) return PROOF_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
    throw new Error(
      `LAB_PROOF_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600, not "${raw}"`,
    );
  return seconds * 1000;
}
