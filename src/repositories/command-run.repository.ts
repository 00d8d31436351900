import { Injectable } from '@nestjs/common';
import type { CommandRun, CommandStatus } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { CommandRun, CommandStatus };

const UNIQUE_VIOLATION = 'P2002';

@Injectable()
export class CommandRunRepository {
  constructor(private readonly db: DatabaseRepository) {}

  /** Records a command under `seq`; null when that number is already taken in the session. */
  async create(input: {
    labSessionId: string;
    userId: string;
    seq: number;
    command: string;
    status: CommandStatus;
    error?: string;
  }): Promise<CommandRun | null> {
    try {
      const finishedAt = input.status === 'rejected' ? new Date() : undefined;
      return await this.db.client.commandRun.create({ data: { ...input, finishedAt } });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  async maxSeq(labSessionId: string): Promise<number> {
    const last = await this.db.client.commandRun.findFirst({
      where: { labSessionId },
      orderBy: { seq: 'desc' },
      select: { seq: true },
    });
    return last?.seq ?? 0;
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

  /** Commands of a session as grading sees them (what ran and how it ended), after sequence `afterSeq`. */
  history(
    labSessionId: string,
    afterSeq = 0,
  ): Promise<Pick<CommandRun, 'seq' | 'command' | 'exitCode' | 'output' | 'status'>[]> {
    return this.db.client.commandRun.findMany({
      where: { labSessionId, seq: { gt: afterSeq }, status: { in: ['completed', 'timed_out', 'cancelled'] } },
      orderBy: { seq: 'asc' },
      select: { seq: true, command: true, exitCode: true, output: true, status: true },
    });
  }
}
