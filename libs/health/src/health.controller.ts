import { Controller, Get, Logger } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { PrismaService, ReadPool } from '#libs/database';
import { QueueHealth } from '#libs/queue';
import { throttledWarning, withTimeout } from '#libs/redis';

const CHECK_TIMEOUT_MS = 1000;

/** The readiness checks, by the name the public answer reports them under. */
type Dependency = 'postgres' | 'redis';

/** Liveness checks nothing outside the process; readiness proves Postgres and Redis answer now. */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  // One line per dependency per 10 s however often the probes come: the cause is in the first.
  private readonly warn = { postgres: throttledWarning(this.logger), redis: throttledWarning(this.logger) };

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly queue: QueueHealth,
    private readonly reads: ReadPool,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.probe('postgres', () => this.prisma.ping()),
      () => this.probe('redis', () => this.queue.ping(CHECK_TIMEOUT_MS)),
      ...(this.reads.hasReplica ? [() => this.readsFrom()] : []),
    ]);
  }

  /**
   * With a read replica (DATABASE_READ_URL), where the query side reads now. Never down: a replica
   * outage sends reads to the primary, so the api stays ready while the primary is (`postgres` above).
   */
  private async readsFrom() {
    const answers = await withTimeout(this.reads.replicaAnswers(), CHECK_TIMEOUT_MS, 'replica check').catch(() => false);
    return this.indicators.check('reads').up({ from: answers ? 'replica' : 'primary' });
  }

  /**
   * Runs one check within CHECK_TIMEOUT_MS. The answer says only which dependency is down: the error
   * behind it names hosts and ports ("Can't reach database server at 10.0.3.7:5432"), which an open
   * /health must not hand out, so it goes to the log instead.
   */
  private async probe(name: Dependency, check: () => Promise<unknown>) {
    const indicator = this.indicators.check(name);
    try {
      await withTimeout(check(), CHECK_TIMEOUT_MS, `${name} check`);
      return indicator.up();
    } catch (err) {
      this.warn[name](`readiness: ${name} is down: ${(err as Error).message}`);
      return indicator.down();
    }
  }
}
