/** How often one line is sent again while the lab is busy before the terminal gives up and says so. */
export const BUSY_RETRY_ATTEMPTS = 5;
/** A retry never waits longer than this, whatever the hint. */
const MAX_WAIT_SECONDS = 30;

interface Waiting {
  attempts: number;
  timer?: ReturnType<typeof setTimeout>;
  countdown?: ReturnType<typeof setInterval>;
}

/**
 * The terminal's automatic retry of a line the platform refused as busy (`unavailable` with a retry hint, issue
 * 21). A retry sends the same client reference, so the server runs the line once even when an earlier try was
 * accepted after all. Bounded attempts; Ctrl-C stops it.
 */
export class BusyRetries {
  private readonly lines = new Map<string, Waiting>();

  /**
   * After a refusal: when it is a busy one with a hint and attempts remain, `resend` is called after the hint's
   * seconds and those seconds are answered; otherwise undefined (the refusal is final). Meanwhile `tick` hears
   * the seconds left once a second (…, 2, 1), so the terminal can count down.
   */
  schedule(
    clientRef: string,
    code: string,
    retryAfterSeconds: number | undefined,
    resend: () => void,
    tick?: (secondsLeft: number) => void,
  ): number | undefined {
    const line = this.lines.get(clientRef) ?? { attempts: 0 };
    if (code !== 'unavailable' || !retryAfterSeconds || retryAfterSeconds <= 0) return this.end(clientRef);
    if (line.attempts >= BUSY_RETRY_ATTEMPTS) return this.end(clientRef);
    const seconds = Math.min(Math.ceil(retryAfterSeconds), MAX_WAIT_SECONDS);
    line.attempts++;
    let left = seconds;
    if (tick && seconds > 1) {
      line.countdown = setInterval(() => {
        left--;
        if (left >= 1) tick(left);
      }, 1000);
    }
    line.timer = setTimeout(() => {
      clearInterval(line.countdown);
      line.timer = undefined;
      line.countdown = undefined;
      resend();
    }, seconds * 1000);
    this.lines.set(clientRef, line);
    return seconds;
  }

  /** Whether the line waits for its next try. */
  waiting(clientRef: string | undefined): boolean {
    return clientRef !== undefined && this.lines.get(clientRef)?.timer !== undefined;
  }

  /** Ctrl-C, an acceptance, or the terminal closing: no further try of the line. */
  end(clientRef: string): undefined {
    const line = this.lines.get(clientRef);
    clearTimeout(line?.timer);
    clearInterval(line?.countdown);
    this.lines.delete(clientRef);
    return undefined;
  }

  endAll(): void {
    for (const clientRef of [...this.lines.keys()]) this.end(clientRef);
  }
}
