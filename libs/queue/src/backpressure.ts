import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { memoryInfoPerMaster, RedisMemory } from '#libs/redis';
import type { IngestJobData } from './ingest-queue.js';
import { QueueRefusal } from './queue-refusal.js';

export interface BackpressureLimits {
  /** Jobs waiting, prioritized, delayed or active above which batches are refused (INGEST_MAX_BACKLOG). */
  maxBacklog: number;
  /** Redis used_memory above which batches are refused (INGEST_MAX_REDIS_MEMORY_BYTES). */
  maxRedisMemoryBytes: number;
}

/**
 * Share of Redis's own `maxmemory` (when it has one) where ingest stops: Redis refuses writes at
 * maxmemory (noeviction), and the worker, retries and rate limits need the headroom above.
 */
export const MAXMEMORY_SHARE = 0.9;

/**
 * Whether the queue may take another batch. Two limits: the number of pending jobs (a slow or
 * stopped worker) and the bytes Redis holds (big batches: 5000 jobs of 10 MiB bodies would be
 * ~60 GB). The job count is read per request (exact); the memory reading is cached (RedisMemory).
 */
export class Backpressure {
  private readonly memory: RedisMemory;

  constructor(
    private readonly queue: Queue<IngestJobData>,
    private readonly limits: BackpressureLimits,
  ) {
    // BullMQ's client is its proxy of the ioredis Redis or Cluster: `nodes()` and `info()` reach it.
    this.memory = new RedisMemory(async () => memoryInfoPerMaster((await queue.backend.client) as unknown as Redis | Cluster));
  }

  /** Resolves when the batch may go in; throws QueueRefusal('backlog_full') when a limit is reached. */
  async check(): Promise<void> {
    const [pending, memory] = await Promise.all([this.pendingJobs(), this.memory.current()]);
    if (pending >= this.limits.maxBacklog) {
      throw new QueueRefusal('backlog_full', `The ingest backlog is full (${pending} batches pending)`, {
        reason: 'max_backlog',
        pending_batches: pending,
        max_backlog: this.limits.maxBacklog,
      });
    }
    const budget = this.memoryBudget(memory.maxmemoryBytes);
    if (memory.usedBytes >= budget) {
      throw new QueueRefusal(
        'backlog_full',
        `The ingest queue holds as many bytes as it may (Redis uses ${memory.usedBytes} of ${budget} bytes)`,
        {
          reason: 'max_redis_memory',
          redis_used_memory_bytes: memory.usedBytes,
          max_redis_memory_bytes: budget,
        },
      );
    }
  }

  /** Counts a batch just enqueued into the cached memory reading (see RedisMemory.noteAdded). */
  noteEnqueued(bytes: number): void {
    this.memory.noteAdded(bytes);
  }

  /** The byte budget: the configured one, or MAXMEMORY_SHARE of Redis's maxmemory if that is lower. */
  private memoryBudget(maxmemoryBytes: number): number {
    const configured = this.limits.maxRedisMemoryBytes;
    return maxmemoryBytes > 0 ? Math.min(configured, Math.floor(maxmemoryBytes * MAXMEMORY_SHARE)) : configured;
  }

  /** Batches accepted but not finished: waiting, prioritized, delayed (retry backoff) and active. */
  private async pendingJobs(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }
}
