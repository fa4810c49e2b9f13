import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { withTimeout } from '#libs/redis';
import { INGEST_QUEUE } from './ingest-queue.js';

/** Redis as the queue sees it: used by readiness checks. */
@Injectable()
export class QueueHealth {
  constructor(@InjectQueue(INGEST_QUEUE) private readonly queue: Queue) {}

  /** PINGs Redis on the queue's own connection, failing after `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<void> {
    // BullMQ types its backend's client loosely; PING is all this needs of it.
    const client = (await withTimeout(this.queue.backend.client, timeoutMs, 'Redis connection')) as {
      runCommand(command: string, args: unknown[]): Promise<unknown>;
    };
    const reply = await withTimeout(client.runCommand('ping', []), timeoutMs, 'Redis PING');
    if (reply !== 'PONG') throw new Error(`unexpected PING reply: ${String(reply)}`);
  }
}
