import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import pg from 'pg';
import { PrismaService } from './prisma.service.js';

/** Injection token of the shared pg pool: repositories use it for bulk SQL that Prisma cannot express. */
export const PG_POOL = Symbol('PG_POOL');

@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const pool = new pg.Pool({ connectionString: config.database.url, max: config.database.poolSize });
        // An idle client losing its connection (Postgres restart) must not crash the process; the pool replaces it.
        pool.on('error', (err) => new Logger('Database').warn(`idle connection lost: ${err.message}`));
        return pool;
      },
    },
    { provide: PrismaService, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new PrismaService(pool) },
  ],
  exports: [PG_POOL, PrismaService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  /** Runs after workers stopped taking jobs (see the writer's beforeApplicationShutdown), so nothing is cut mid-write. */
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    await this.pool.end();
  }
}
