import { Injectable } from '@nestjs/common';
import type { AuthSession, User } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type AuthSessionWithUser = AuthSession & { user: User };

@Injectable()
export class AuthSessionRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(input: { userId: string; tokenHash: string; expiresAt: Date; userAgent?: string; ip?: string }) {
    return this.db.client.authSession.create({ data: input });
  }

  findActive(tokenHash: string, now: Date): Promise<AuthSessionWithUser | null> {
    return this.db.client.authSession.findFirst({
      where: { tokenHash, expiresAt: { gt: now } },
      include: { user: true },
    });
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db.client.authSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db.client.authSession.deleteMany({ where: { tokenHash } });
  }

  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.db.client.authSession.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
