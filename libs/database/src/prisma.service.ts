import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

/** Prisma client on the shared pg pool (Prisma 7 runs its query engine as WASM over the driver adapter). */
export class PrismaService extends PrismaClient {
  constructor(pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  /** A real round trip to Postgres, for readiness checks. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
