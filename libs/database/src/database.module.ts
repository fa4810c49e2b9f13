import { type DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, type Provider } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_CONFIG, type DatabaseConfig } from './database.config.js';
import { PrismaService } from './prisma.service.js';

/** Injection token of the shared pg pool: repositories use it for bulk SQL that Prisma cannot express. */
export const PG_POOL = Symbol('PG_POOL');

/**
 * The pool, and Prisma on it. With `boundedStatements` every connection starts with Postgres's
 * `statement_timeout` = API_QUERY_TIMEOUT_MS (sent in the startup packet, so it holds for every
 * statement of the connection, Prisma's included): Postgres cancels a longer statement itself
 * (SQLSTATE 57014), even when the client is gone, and the api answers 503. A request waiting longer
 * than that for a connection of the pool gets the same 503.
 */
function databaseProviders(boundedStatements: boolean): Provider[] {
  return [
    {
      provide: PG_POOL,
      inject: [DATABASE_CONFIG.token],
      useFactory: (database: DatabaseConfig) => {
        const pool = new pg.Pool({
          connectionString: database.url,
          max: database.poolSize,
          // Waiting for a free connection (all busy) or for a new one is bounded by the same time.
          ...(boundedStatements
            ? { statement_timeout: database.apiQueryTimeoutMs, connectionTimeoutMillis: database.apiQueryTimeoutMs }
            : {}),
        });
        // An idle client losing its connection (Postgres restart) must not crash the process; the pool replaces it.
        pool.on('error', (err) => new Logger('Database').warn(`idle connection lost: ${err.message}`));
        return pool;
      },
    },
    { provide: PrismaService, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new PrismaService(pool) },
  ];
}

/** Statements without a time limit: the worker's writes (a group commit of 10k records must not be cut). */
@Global()
@Module({ providers: databaseProviders(false), exports: [PG_POOL, PrismaService] })
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  /** For the api: every statement cancelled by Postgres after API_QUERY_TIMEOUT_MS. */
  static withStatementTimeout(): DynamicModule {
    return { module: DatabaseModule, global: true, providers: databaseProviders(true), exports: [PG_POOL, PrismaService] };
  }

  /** Runs after workers stopped taking jobs (see the writer's beforeApplicationShutdown), so nothing is cut mid-write. */
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    await this.pool.end();
  }
}
