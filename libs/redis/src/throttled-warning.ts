import type { LoggerService } from '@nestjs/common';

/**
 * A warning logged at most once per `intervalMs`: while Redis is away every request and every
 * reconnect attempt fails the same way, and one line per 10 s says as much as thousands.
 */
export function throttledWarning(
  logger: Pick<LoggerService, 'warn'>,
  intervalMs = 10_000,
  clock: () => number = Date.now,
): (message: string) => void {
  let last = -Infinity;
  return (message) => {
    const now = clock();
    if (now - last < intervalMs) return;
    last = now;
    logger.warn(message);
  };
}
