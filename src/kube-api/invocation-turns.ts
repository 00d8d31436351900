/**
 * One kubectl invocation, one turn (issue 20): the requests of a writing invocation (`kubectl apply -f` with several
 * objects makes a GET and a PATCH per object) are served under one hold of the session's turn, so a terminal line
 * cannot land between two of them. kubectl 1.30+ names its invocation on every request (`Kubectl-Session`, a random
 * id) and the command (`Kubectl-Command: kubectl apply`).
 *
 * A turn is held from an invocation's first request that needs it until LINGER_MS after its last request ended:
 * the requests of one invocation follow each other within milliseconds, while a student's next command comes much
 * later. An invocation that waits for a person between two requests (`kubectl edit` with its editor open) gives the
 * turn back meanwhile and takes it again for its write.
 */

export interface Turn {
  release(): Promise<void>;
}

/** How long a turn outlives its invocation's last request, waiting for the next one. */
export const LINGER_MS = 250;

/** Subcommands that never write: their requests take no turn (a `get -w` would otherwise hold it for its life). */
const READ_ONLY_COMMANDS = new Set([
  'api-resources',
  'api-versions',
  'attach',
  'auth',
  'cluster-info',
  'config',
  'cp',
  'describe',
  'diff',
  'events',
  'exec',
  'explain',
  'get',
  'logs',
  'port-forward',
  'proxy',
  'top',
  'version',
  'wait',
]);

/** Whether a request of this Kubectl-Command belongs to an invocation that may write. */
export function invocationMayWrite(kubectlCommand: string | undefined): boolean {
  const words = (kubectlCommand ?? '').trim().split(/\s+/);
  if (words[0] !== 'kubectl' || words.length < 2) return false;
  return !READ_ONLY_COMMANDS.has(words[1]);
}

interface Held {
  invocation: string;
  turn: Promise<Turn | undefined>;
  /** Requests of the invocation being served now. */
  active: number;
  linger: NodeJS.Timeout | undefined;
}

/**
 * The turns of this worker's sessions, by invocation. `take` answers undefined when the session's turn could not be
 * had (the terminal stayed busy): the caller answers 429.
 */
export class InvocationTurns {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly takeTurn: (labSessionId: string) => Promise<Turn | undefined>,
    private readonly lingerMs = LINGER_MS,
    /** As long as a write waits for the terminal (SessionGate) before it is answered 429. */
    private readonly waitMs = 10_000,
  ) {}

  /** A turn for one request; `invocation` undefined (not kubectl, or an old one): a turn for this request alone. */
  async take(labSessionId: string, invocation: string | undefined): Promise<Turn | undefined> {
    if (!invocation) return this.takeTurn(labSessionId);
    let held = this.held.get(labSessionId);
    const deadline = Date.now() + this.waitMs;
    while (held && held.invocation !== invocation) {
      // Another invocation's turn: wait for it to end (its linger), then take ours.
      if (!(await this.settled(labSessionId, held, deadline))) return undefined;
      held = this.held.get(labSessionId);
    }
    if (!held) {
      held = { invocation, turn: this.takeTurn(labSessionId), active: 0, linger: undefined };
      this.held.set(labSessionId, held);
    }
    const entry = held;
    entry.active += 1;
    clearTimeout(entry.linger);
    entry.linger = undefined;
    const turn = await entry.turn;
    if (!turn) {
      entry.active -= 1;
      if (this.held.get(labSessionId) === entry) this.held.delete(labSessionId);
      return undefined;
    }
    let done = false;
    return {
      release: async () => {
        if (done) return;
        done = true;
        entry.active -= 1;
        if (entry.active > 0) return;
        entry.linger = setTimeout(() => void this.end(labSessionId, entry), this.lingerMs);
      },
    };
  }

  /** Gives back every turn held now (the worker stops). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held].map(([labSessionId, entry]) => this.end(labSessionId, entry)));
  }

  private async end(labSessionId: string, entry: Held): Promise<void> {
    clearTimeout(entry.linger);
    if (this.held.get(labSessionId) === entry) this.held.delete(labSessionId);
    await (await entry.turn)?.release();
  }

  /** True once the entry is no longer the session's holder; false if it still is at the deadline. */
  private async settled(labSessionId: string, entry: Held, deadline: number): Promise<boolean> {
    while (this.held.get(labSessionId) === entry) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, this.lingerMs / 5)));
    }
    return true;
  }
}
