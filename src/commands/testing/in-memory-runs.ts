import type {
  CommandRun,
  CommandRunRepository,
  CommandStatus,
  QueuedRun,
} from '../../repositories/command-run.repository';

type Implements<T, K extends keyof T> = Pick<T, K>;

/**
 * Command records in memory with the conditional writes of the real repository: a record ends once
 * (finish and endIfOpen change only a queued or running record), and finish writes a record whole
 * whether or not its queued record has landed.
 */
export class InMemoryCommandRunRepository implements Implements<
  CommandRunRepository,
  'create' | 'recordQueued' | 'finish' | 'endIfOpen' | 'startLasting' | 'findById' | 'listOpenForSession'
> {
  readonly rows = new Map<string, CommandRun>();
  /** Makes the next writes wait (a slow database), to let ends race. */
  delayMs = 0;

  async create(input: {
    labSessionId: string;
    userId: string;
    seq: number;
    command: string;
    status: CommandStatus;
    error?: string;
  }): Promise<CommandRun | null> {
    if ([...this.rows.values()].some((r) => r.labSessionId === input.labSessionId && r.seq === input.seq))
      return null;
    const row = this.blank({
      ...input,
      id: `rejected-${input.seq}`,
      kind: 'foreground',
      queuedAt: new Date(),
    });
    row.status = input.status;
    row.error = input.error ?? null;
    this.rows.set(row.id, row);
    return row;
  }

  async recordQueued(run: QueuedRun): Promise<void> {
    if (!this.rows.has(run.id)) this.rows.set(run.id, this.blank(run));
  }

  async finish(run: QueuedRun, result: Parameters<CommandRunRepository['finish']>[1]): Promise<boolean> {
    await this.pause();
    const row = this.rows.get(run.id) ?? this.blank(run);
    if (row.status !== 'queued' && row.status !== 'running') return false;
    Object.assign(row, result);
    this.rows.set(run.id, row);
    return true;
  }

  async endIfOpen(id: string, status: CommandStatus, exitCode: number, error: string): Promise<boolean> {
    await this.pause();
    const row = this.rows.get(id);
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return false;
    Object.assign(row, { status, exitCode, error, finishedAt: new Date() });
    return true;
  }

  async startLasting(
    run: QueuedRun,
    start: { job?: { number: number; pid: number }; clusterId: string; startedAt: Date },
  ): Promise<boolean> {
    const row = this.rows.get(run.id) ?? this.blank(run);
    if (row.status !== 'queued') return false;
    Object.assign(row, {
      status: 'running',
      jobNumber: start.job?.number ?? null,
      pid: start.job?.pid ?? null,
      clusterId: start.clusterId,
      startedAt: start.startedAt,
    });
    this.rows.set(run.id, row);
    return true;
  }

  async findById(id: string): Promise<CommandRun | null> {
    return this.rows.get(id) ?? null;
  }

  async listOpenForSession(labSessionId: string): Promise<CommandRun[]> {
    return [...this.rows.values()]
      .filter((r) => r.labSessionId === labSessionId && (r.status === 'queued' || r.status === 'running'))
      .sort((a, b) => a.seq - b.seq);
  }

  private pause(): Promise<void> {
    return this.delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, this.delayMs)) : Promise.resolve();
  }

  private blank(run: QueuedRun): CommandRun {
    return {
      id: run.id,
      labSessionId: run.labSessionId,
      userId: run.userId,
      clusterId: null,
      seq: run.seq,
      command: run.command,
      kind: run.kind,
      jobNumber: null,
      pid: null,
      homeVersion: null,
      effects: null,
      status: 'queued',
      exitCode: null,
      output: '',
      outputBytes: 0,
      truncated: false,
      outputTrimmedAt: null,
      error: null,
      queuedAt: run.queuedAt,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    };
  }
}
