import type { BatchToStore, StoreResult } from './rows-and-rollups.writer.js';

export interface GroupCommitLimits {
  /** Group writes running at once; further batches wait and are written together. */
  writesInFlight: number;
  /** A group never exceeds this many records (a single larger batch is written alone). */
  maxRecords: number;
  /**
   * Whether a group's failure may come from one of its batches (bad data), so that writing them one
   * by one isolates it; a failure of the database itself (connection lost) fails the whole group at
   * once instead of being tried again batch after batch.
   */
  mayBeOneBatch(err: unknown): boolean;
}

/** Writes a group of batches; resolves with one result per batch, in order. */
export type WriteGroup = (batches: readonly BatchToStore[]) => Promise<StoreResult[]>;

interface Waiting {
  batch: BatchToStore;
  resolve(result: StoreResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for the worker's batches. A batch is written at once when a write slot is free, so
 * an idle pipeline adds no latency; batches arriving while every slot is busy wait and go to
 * Postgres together as one group (one COPY, one rollup summary, one commit), which is where most of
 * a small batch's cost is. Each caller still gets its own batch's result or error, so a BullMQ job
 * completes or fails on its own records only: when a group write fails on its data, its batches are
 * written again one by one, so one bad batch cannot fail the others.
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly writeGroup: WriteGroup,
    private readonly limits: GroupCommitLimits,
  ) {}

  store(batch: BatchToStore): Promise<StoreResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.inFlight < this.limits.writesInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.startWrites();
      });
    }
  }

  /** The oldest waiting batch, and those after it while the group stays within maxRecords. */
  private takeGroup(): Waiting[] {
    let records = this.waiting[0].batch.records.length;
    let count = 1;
    while (count < this.waiting.length && records + this.waiting[count].batch.records.length <= this.limits.maxRecords) {
      records += this.waiting[count].batch.records.length;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async write(group: Waiting[]): Promise<void> {
    try {
      const results = await this.writeGroup(group.map((w) => w.batch));
      group.forEach((w, i) => w.resolve(results[i]));
    } catch (err) {
      if (group.length === 1 || !this.limits.mayBeOneBatch(err)) return group.forEach((w) => w.reject(err));
      for (const w of group) {
        try {
          w.resolve((await this.writeGroup([w.batch]))[0]);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}
