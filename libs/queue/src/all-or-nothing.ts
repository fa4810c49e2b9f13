import { Job, type Queue } from 'bullmq';
import { INGEST_JOB, type IngestJobData } from './ingest-queue.js';

/** A job ready for Redis: its payload already serialised (the costly part, done between event-loop turns). */
export type SerialisedJob = ReturnType<Job['toFlowEntry']>;

/** Serialises one ingest job with the queue's default job options, as Queue.add would. */
export function serialiseJob(queue: Queue<IngestJobData>, data: IngestJobData): SerialisedJob {
  return new Job<IngestJobData>(queue, INGEST_JOB, data, { ...queue.defaultJobOptions }).toFlowEntry({});
}

/**
 * Adds every job of a request in ONE Redis transaction (MULTI/EXEC), so a request is enqueued
 * whole or not at all. BullMQ's own addBulk is a pipeline since 5.x (each job its own command: a
 * connection lost or a write refused midway leaves part of the batch queued, taskforcesh/bullmq
 * #3451); this takes the transactional path BullMQ uses for flows (`backend.addFlow`) instead.
 */
export async function addAllOrNothing(queue: Queue<IngestJobData>, jobs: readonly SerialisedJob[]): Promise<void> {
  const results = await queue.backend.addFlow([...jobs]);
  const failure = results.find(([err]) => err !== null)?.[0];
  if (failure) throw failure;
}
