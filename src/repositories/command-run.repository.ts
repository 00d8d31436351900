import { Injectable } from '@nestjs/common';
import type { CommandRun, CommandStatus } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { CommandRun, CommandStatus };

const UNIQUE_VIOLATION = 'P2002';

@Injectable()
export class CommandRunRepository {
  constructor(private readonly db: DatabaseRepository) {}

  /**
   * Records a new command with the next sequence number of its session. Two submissions racing for
   * the same number collide on the unique index; the loser simply takes the next one.
   */
  async createNext(input: {
    labSessionId: string;
    userId: string;
    command: string;
    status: CommandStatus;
    error?: string;
    exitCode?: number;
  }): Promise<CommandRun> {
    for (let attempt = 0; ; attempt++) {
      const last = await this.db.client.commandRun.findFirst({
        where: { labSessionId: input.labSessionId },
        orderBy: { seq: 'desc' },
        select: { seq: true },
      });
      try {
        const finished = input.status === 'rejected' ? new Date() : undefined;
        return await this.db.client.commandRun.create({
          data: { ...input, seq: (last?.seq ?? 0) + 1, finishedAt: finished },
        });
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 20) throw error;
      }
    }
  }

  findById(id: string): Promise<CommandRun | null> {
    return this.db.client.commandRun.findUnique({ where: { id } });
  }

  /** Marks a queued run as running; false when it was cancelled meanwhile. */
  async start(id: string, clusterId: string, startedAt: Date): Promise<boolean> {
    const { count } = await this.db.client.commandRun.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'running', clusterId, startedAt },
    });
    return count === 1;
  }

  async finish(
    id: string,
    result: {
      status: CommandStatus;
      exitCode: number | null;
      output: string;
      outputBytes: number;
      truncated: boolean;
      finishedAt: Date;
      durationMs: number | null;
      error?: string;
    },
  ): Promise<void> {
    await this.db.client.commandRun.update({ where: { id }, data: result });
  }

  /** Ends a run that is still queued or running (cancel, interruption); false when it had already ended. */
  async endIfOpen(id: string, status: CommandStatus, exitCode: number, error: string): Promise<boolean> {
    const { count } = await this.db.client.commandRun.updateMany({
      where: { id, status: { in: ['queued', 'running'] } },
      data: { status, exitCode, error, finishedAt: new Date() },
    });
    return count === 1;
  }

  listOpen(statuses: CommandStatus[], olderThan: Date): Promise<CommandRun[]> {
    return this.db.client.commandRun.findMany({
      where: { status: { in: statuses }, queuedAt: { lte: olderThan } },
      orderBy: [{ labSessionId: 'asc' }, { seq: 'asc' }],
      take: 500,
    });
  }

  listOpenForSession(labSessionId: string): Promise<CommandRun[]> {
    return this.db.client.commandRun.findMany({
      where: { labSessionId, status: { in: ['queued', 'running'] } },
      orderBy: { seq: 'asc' },
    });
  }

  /** The newest `limit` runs of a session, oldest first. */
  async recent(labSessionId: string, limit: number): Promise<CommandRun[]> {
    const rows = await this.db.client.commandRun.findMany({
      where: { labSessionId },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse();
  }

  /** Commands of a session as grading sees them: what ran and how it ended. */
  history(labSessionId: string): Promise<Pick<CommandRun, 'command' | 'exitCode' | 'output' | 'status'>[]> {
    return this.db.client.commandRun.findMany({
      where: { labSessionId, status: { in: ['completed', 'timed_out', 'cancelled'] } },
      orderBy: { seq: 'asc' },
      select: { command: true, exitCode: true, output: true, status: true },
    });
  }
}
