import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest random weight) hashing: a session goes to the live worker whose hash with the
 * session's id is highest. A worker that joins wins only the sessions it now scores highest on
 * (about 1/(n+1) of them); a worker that leaves loses only its own sessions, each to its runner-up,
 * and no other session moves. Pure: every process computes the same answer from the same list.
 */
export function rendezvousPick(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const candidate of candidates) {
    const weight = weightOf(key, candidate);
    // Ties (practically never) go to the smaller id, so the answer does not depend on the list's order.
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && candidate < best)) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}

function weightOf(key: string, candidate: string): bigint {
  // 64 bits of SHA-1 are plenty of spread for a few hundred workers; the hash is fast next to a Redis call.
  const digest = createHash('sha1').update(key).update('\u0000').update(candidate).digest();
  return digest.readBigUInt64BE(0);
}
