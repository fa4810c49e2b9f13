import { type DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, type Provider } from '@nestjs/common';
import pg from 'pg';
import { type AppRegistry, METRICS_REGISTRY } from '#libs/metrics';
import { DATABASE_CONFIG, type DatabaseConfig } from './database.config.js';
import { PrismaService } from './prisma.service.js';
import { ReadPool } from './read-pool.js';
import { ReplicaLagMetrics } from './replica-lag.metrics.js';

/** Injection token of the shared pg pool: repositories use it for bulk SQL that Prisma cannot express. */
export const PG_POOL = Symbol('PG_POOL');
/** The read replica's pool (DATABASE_READ_URL), or null: only ReadPool and the lag metrics use it. */
const READ_REPLICA_POOL = Symbol('READ_REPLICA_POOL');

/**
 * A pool to one server. With `boundedStatements` every connection starts with Postgres's
 * `statement_timeout` = API_QUERY_TIMEOUT_MS (sent in the startup packet, so it holds for every
 * statement of the connection, Prisma's included): Postgres cancels a longer statement itself
 * (SQLSTATE 57014), even when the client is gone, and the api answers 503. A request waiting longer
 * than that for a connection of the pool gets the same 503.
 */
function createPool(url: string, database: DatabaseConfig, boundedStatements: boolean, name: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: database.poolSize,
    // Waiting for a free connection (all busy) or for a new one is bounded by the same time.
    ...(boundedStatements ? { statement_timeout: database.apiQueryTimeoutMs, connectionTimeoutMillis: database.apiQueryTimeoutMs } : {}),
  });
  // An idle client losing its connection (Postgres restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => new Logger(name).warn(`idle connection lost: ${err.message}`));
  return pool;
}

/** The primary's pool and Prisma on it; with `readReplica`, the query side on DATABASE_READ_URL when it is set. */
function databaseProviders(boundedStatements: boolean, readReplica: boolean): Provider[] {
  return [
    {
      provide: PG_POOL,
      inject: [DATABASE_CONFIG.token],
      useFactory: (database: DatabaseConfig) => createPool(database.url, database, boundedStatements, 'Database'),
    },
    {
      provide: READ_REPLICA_POOL,
      inject: [DATABASE_CONFIG.token],
      useFactory: (database: DatabaseConfig) =>
        readReplica && database.readUrl ? createPool(database.readUrl, database, boundedStatements, 'ReadReplica') : null,
    },
    {
      provide: ReadPool,
      inject: [PG_POOL, READ_REPLICA_POOL, { token: METRICS_REGISTRY, optional: true }],
      useFactory: (primary: pg.Pool, replica: pg.Pool | null, registry?: AppRegistry) => {
        // Registered with the app's metrics (an app without MetricsModule serves none): absent with no replica.
        if (replica && registry) new ReplicaLagMetrics(primary, replica, registry);
        return new ReadPool(primary, replica, registry);
      },
    },
    { provide: PrismaService, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new PrismaService(pool) },
  ];
}

/** Statements without a time limit: the worker's writes (a group commit of 10k records must not be cut). */
@Global()
@Module({ providers: databaseProviders(false, false), exports: [PG_POOL, ReadPool, PrismaService] })
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly reads: ReadPool,
  ) {}

  /**
   * For the api: every statement cancelled by Postgres after API_QUERY_TIMEOUT_MS, and the query side
   * (ReadPool) on the read replica when DATABASE_READ_URL is set. The worker reads nothing there.
   */
  static withStatementTimeout(): DynamicModule {
    return { module: DatabaseModule, global: true, providers: databaseProviders(true, true), exports: [PG_POOL, ReadPool, PrismaService] };
  }

  /** Runs after workers stopped taking jobs (see the writer's beforeApplicationShutdown), so nothing is cut mid-write. */
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
    await this.reads.close();
    await this.pool.end();
  }
}
