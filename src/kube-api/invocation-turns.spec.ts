import { InvocationTurns, invocationMayWrite, type Turn } from './invocation-turns';

/** The session's turn as SessionGate gives it: one holder at a time; a taker polls until it is free or gives up. */
class Gate {
  holder: string | undefined;
  readonly log: string[] = [];
  private next = 0;

  constructor(private readonly waitMs = 1000) {}

  take = async (labSessionId: string): Promise<Turn | undefined> => {
    const deadline = Date.now() + this.waitMs;
    while (this.holder !== undefined) {
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const id = `${labSessionId}#${++this.next}`;
    this.holder = id;
    this.log.push(`take ${id}`);
    return {
      release: async () => {
        this.log.push(`release ${id}`);
        this.holder = undefined;
      },
    };
  };

  /** A terminal line: waits for the turn, holds it for `ms`. */
  async terminalLine(labSessionId: string, ms: number): Promise<void> {
    const turn = await this.take(labSessionId);
    if (!turn) throw new Error('terminal line found the session busy');
    this.log.push('terminal line runs');
    await new Promise((resolve) => setTimeout(resolve, ms));
    await turn.release();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InvocationTurns', () => {
  it('serves the requests of one invocation in one turn, so a terminal line waits until the invocation ends', async () => {
    const gate = new Gate();
    const turns = new InvocationTurns(gate.take, 30);
    const first = await turns.take('s1', 'inv-a');
    await first!.release();
    // Between two requests of `kubectl apply -f` (a GET, then a PATCH): the terminal asks for the turn.
    const line = gate.terminalLine('s1', 1);
    await sleep(5);
    const second = await turns.take('s1', 'inv-a');
    await second!.release();
    await line;
    expect(gate.log).toEqual([
      'take s1#1',
      'release s1#1',
      'take s1#2',
      'terminal line runs',
      'release s1#2',
    ]);
  });

  it('gives the turn back LINGER after the last request, and a request without an invocation takes its own turn', async () => {
    const gate = new Gate();
    const turns = new InvocationTurns(gate.take, 20);
    const turn = await turns.take('s1', 'inv-a');
    await turn!.release();
    expect(gate.holder).toBe('s1#1');
    await sleep(60);
    expect(gate.holder).toBeUndefined();
    const alone = await turns.take('s1', undefined);
    expect(gate.holder).toBe('s1#2');
    await alone!.release();
    expect(gate.holder).toBeUndefined();
  });

  it('keeps the turn while requests of the invocation overlap, and a second invocation waits for the first', async () => {
    const gate = new Gate();
    const turns = new InvocationTurns(gate.take, 20);
    const [a1, a2] = await Promise.all([turns.take('s1', 'inv-a'), turns.take('s1', 'inv-a')]);
    expect(gate.log).toEqual(['take s1#1']);
    let bHasTurn = false;
    const b = turns.take('s1', 'inv-b').then((turn) => {
      bHasTurn = true;
      return turn;
    });
    await a1!.release();
    await sleep(50);
    expect(bHasTurn).toBe(false);
    await a2!.release();
    const bTurn = await b;
    expect(gate.log).toEqual(['take s1#1', 'release s1#1', 'take s1#2']);
    await bTurn!.release();
    await turns.releaseAll();
    expect(gate.holder).toBeUndefined();
  });

  it('answers undefined when the terminal keeps the turn past the wait', async () => {
    const gate = new Gate(30);
    gate.holder = 'terminal';
    const turns = new InvocationTurns(gate.take, 20, 30);
    expect(await turns.take('s1', 'inv-a')).toBeUndefined();
    // The failed take leaves nothing behind: once the terminal is done, the invocation gets its turn.
    gate.holder = undefined;
    const turn = await turns.take('s1', 'inv-a');
    expect(turn).toBeDefined();
    await turns.releaseAll();
  });

  it('turns are per session', async () => {
    const gate = new Gate();
    const turns = new InvocationTurns(
      async (id) => ({ release: async () => void gate.log.push(`release ${id}`) }),
      10,
    );
    const a = await turns.take('s1', 'inv');
    const b = await turns.take('s2', 'inv');
    await a!.release();
    await b!.release();
    await sleep(40);
    expect(gate.log.sort()).toEqual(['release s1', 'release s2']);
  });
});

describe('invocationMayWrite', () => {
  it.each([
    ['kubectl apply', true],
    ['kubectl create deployment', true],
    ['kubectl delete', true],
    ['kubectl rollout restart', true],
    ['kubectl get', false],
    ['kubectl describe', false],
    ['kubectl logs', false],
    ['kubectl auth can-i', false],
    ['kubectl port-forward', false],
    [undefined, false],
    ['', false],
    ['helm install', false],
  ])('%s → %s', (command, expected) => {
    expect(invocationMayWrite(command)).toBe(expected);
  });
});
