import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { REDIS_CONFIG, type RedisConfig, redisClient, throttledWarning, withTimeout } from '#libs/redis';
import { FIXED_WINDOW_HIT_SCRIPT, FIXED_WINDOW_PEEK_SCRIPT } from './fixed-window.lua.js';

/** The scripts as commands of the client: ioredis sends EVALSHA (and the script once, on NOSCRIPT). */
const SCRIPTS = { windowHit: FIXED_WINDOW_HIT_SCRIPT, windowPeek: FIXED_WINDOW_PEEK_SCRIPT } as const;
type ScriptName = keyof typeof SCRIPTS;
type ScriptCommands = Record<ScriptName, (key: string, ...args: string[]) => Promise<[number, number]>>;

/** A counter's state: events in the current window and the milliseconds until it ends. */
export interface WindowCount {
  count: number;
  ttlMs: number;
}

/**
 * Fixed-window event counters in Redis, shared by every replica of an app (keys under QUEUE_PREFIX).
 * A counter that cannot be read in REDIS_COMMAND_TIMEOUT_MS yields undefined: callers decide whether
 * to fail open; a request never hangs on a Redis that is away.
 */
@Injectable()
export class WindowCounter implements OnModuleInit, OnApplicationShutdown {
  private readonly warn = throttledWarning(new Logger(WindowCounter.name));
  private readonly redis: (Redis | Cluster) & ScriptCommands;

  constructor(@Inject(REDIS_CONFIG.token) private readonly config: RedisConfig) {
    // Fail fast like the queue producer: a request must not hang on a Redis that is away.
    const redis = redisClient(config.url, 'producer');
    // By SHA, not EVAL with the script's text: each query's rate-limit check (one per request) sends
    // ~60 bytes instead of ~300, and Redis does not hash the script again every time.
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.redis = redis as typeof redis & ScriptCommands;
    this.redis.on('error', (err: Error) => this.warn(`window counters' Redis: ${err.message}`));
  }

  /** Connects before the first request (a fail-fast client would refuse commands while connecting). */
  async onModuleInit(): Promise<void> {
    await withTimeout(this.redis.connect(), 2000, 'window counters Redis connection').catch((err: Error) => this.warn(err.message));
  }

  /** Counts one event in the window `name` (of `windowMs`, started by its first event). */
  hit(name: string, windowMs: number): Promise<WindowCount | undefined> {
    return this.run('windowHit', name, [String(windowMs)]);
  }

  /** Reads the window `name` without counting. */
  peek(name: string): Promise<WindowCount | undefined> {
    return this.run('windowPeek', name, []);
  }

  private async run(script: ScriptName, name: string, args: string[]): Promise<WindowCount | undefined> {
    try {
      // One key per script: cluster-safe as it is (a cluster routes the script to the key's master).
      const call = this.redis[script](`${this.config.keyPrefix}:${name}`, ...args);
      const [count, ttlMs] = await withTimeout(call, this.config.commandTimeoutMs, `counter ${name}`);
      return { count, ttlMs };
    } catch (err) {
      this.warn(`window counter unavailable: ${(err as Error).message}`);
      return undefined;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
