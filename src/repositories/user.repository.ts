import { Injectable } from '@nestjs/common';
import type { User, UserRole } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { User, UserRole };

@Injectable()
export class UserRepository {
  constructor(private readonly db: DatabaseRepository) {}

  findByEmail(email: string): Promise<User | null> {
    return this.db.client.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  findById(id: string): Promise<User | null> {
    return this.db.client.user.findUnique({ where: { id } });
  }

  /** Returns null when the email is taken, so callers need not catch driver-specific errors. */
  async create(input: {
    email: string;
    displayName: string;
    passwordHash: string;
    role: UserRole;
  }): Promise<User | null> {
    const created = await this.db.client.user.createMany({
      data: [{ ...input, email: input.email.toLowerCase() }],
      skipDuplicates: true,
    });
    return created.count === 1 ? this.findByEmail(input.email) : null;
  }

  upsert(input: { email: string; displayName: string; passwordHash: string; role: UserRole }): Promise<User> {
    const email = input.email.toLowerCase();
    return this.db.client.user.upsert({
      where: { email },
      create: { ...input, email },
      update: { displayName: input.displayName, passwordHash: input.passwordHash, role: input.role },
    });
  }
}
