/**
 * Why the queue did not take a batch, as the domain says it: `backlog_full` when a backpressure
 * limit (jobs pending, or Redis memory) is reached, `queue_unavailable` when Redis cannot be
 * reached in time. Nothing of the batch was enqueued either way, so it can be sent again whole.
 */
export class QueueRefusal extends Error {
  constructor(
    readonly reason: 'backlog_full' | 'queue_unavailable',
    message: string,
    /** What the limit and the reading were (snake_case, for the client). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'QueueRefusal';
  }
}
