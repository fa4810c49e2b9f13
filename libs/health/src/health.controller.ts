import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { PrismaService } from '#libs/database';
import { QueueHealth } from '#libs/queue';

const CHECK_TIMEOUT_MS = 1000;

/** Liveness checks nothing outside the process; readiness proves Postgres and Redis answer now. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly queue: QueueHealth,
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
      () =>
        this.indicators
          .check('postgres')
          .attempt(() => this.prisma.ping())
          .withTimeout(CHECK_TIMEOUT_MS),
      () => this.indicators.check('redis').attempt(() => this.queue.ping(CHECK_TIMEOUT_MS)).withTimeout(CHECK_TIMEOUT_MS),
    ]);
  }
}
