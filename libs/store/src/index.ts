export { StoreModule } from './store.module.js';
// the writer (the worker's consumer)
export { BatchWriter, mergeStored } from './writer/batch-writer.js';
export type { QueuedBatch } from './writer/batch-writer.js';
export { RowsAndRollupsWriter } from './writer/rows-and-rollups.writer.js';
export type { StoreResult } from './writer/rows-and-rollups.writer.js';
export type { InsertedRow } from './writer/write-statements.sql.js';
export { mapUnder } from './writer/map-under.js';
export { CONFLICTING_DUPLICATE } from './writer/dead-letter-parking.js';
export { RECORD_REFUSAL_REASONS, refusedForItsData } from './writer/write-errors.js';
// upkeep
export { RequestLogPartitions } from './upkeep/request-log-partitions.js';
export { PartitionMaintainer } from './upkeep/partition-maintainer.js';
export { RollupRetention } from './upkeep/rollup-retention.js';
export { STORE_CONFIG } from './store.config.js';
// reads (the api)
export { RequestLookupRepository } from './reads/request-lookup.repository.js';
export { RequestSearchRepository } from './reads/request-search.repository.js';
export { RollupQueryRepository } from './reads/rollup-query.repository.js';
export type { SeriesRow } from './reads/rollup-query.repository.js';
export { SpikeDriversRepository } from './reads/spike-drivers.repository.js';
export { ROLLUP_DIMENSIONS } from './reads/request-filter.js';
export type { RequestFilter } from './reads/request-filter.js';
export type { StoredRequestRow } from './reads/request-rows.js';
export { requestSummaryView, storedRequestView } from './reads/request-views.js';
