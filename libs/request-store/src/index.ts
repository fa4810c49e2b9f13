export { RequestStoreModule } from './request-store.module.js';
export { RequestLogRepository } from './request-log.repository.js';
export type { BatchToStore, StoreResult } from './request-log.repository.js';
export type { NeighborRow, StoredRequestRow } from './lookup-queries.sql.js';
export type { InsertedRow } from './insert-request-logs.sql.js';
export type { DerivedWrites } from './derived-writes.js';
export { PartitionMaintainer } from './partition-maintainer.js';
export { utcDay } from './utc-day.js';
