import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '../infra/database/generated/client';

export const PRISMA_CLIENT = Symbol('PRISMA_CLIENT');

/**
 * Owns the Prisma client's lifecycle. Domain repositories reach the database through `client`;
 * services never see Prisma.
 */
@Injectable()
export class DatabaseRepository implements OnModuleDestroy {
  constructor(@Inject(PRISMA_CLIENT) readonly client: PrismaClient) {}

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.$disconnect();
  }
}
