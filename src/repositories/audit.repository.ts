import { Injectable } from '@nestjs/common';
import type { AuditEvent, Prisma } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { AuditEvent };
export interface AuditInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
  ip?: string;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: DatabaseRepository) {}

  async record(input: AuditInput): Promise<void> {
    await this.db.client.auditEvent.create({
      data: { ...input, data: (input.data ?? undefined) as Prisma.InputJsonValue | undefined },
    });
  }

  listForTarget(targetType: string, targetId: string): Promise<AuditEvent[]> {
    return this.db.client.auditEvent.findMany({
      where: { targetType, targetId },
      orderBy: { createdAt: 'asc' },
    });
  }
}
