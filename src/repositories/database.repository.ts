import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '../infra/database/generated/client';
import { SqlRunner, sqlRunnerOf, SqlStatement } from '../infra/database/prisma-client.factory';

export type { SqlStatement };

export const PRISMA_CLIENT = Symbol('PRISMA_CLIENT');

/**
 * Owns the Prisma client's lifecycle. Domain repositories reach the database through `client`, or
 * through `sql` for the few statements each command runs; services never see either.
 */
@Injectable()
export class DatabaseRepository implements OnModuleDestroy {
  readonly sql: SqlRunner;

  constructor(@Inject(PRISMA_CLIENT) readonly client: PrismaClient) {
    this.sql = sqlRunnerOf(client);
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}
