import { Module } from '@nestjs/common';
import { RequestLookupRepository } from './reads/request-lookup.repository.js';
import { RequestSearchRepository } from './reads/request-search.repository.js';
import { RollupQueryRepository } from './reads/rollup-query.repository.js';
import { SpikeDriversRepository } from './reads/spike-drivers.repository.js';
import { PartitionMaintainer } from './upkeep/partition-maintainer.js';
import { RequestLogPartitions } from './upkeep/request-log-partitions.js';
import { RollupRetention } from './upkeep/rollup-retention.js';
import { BatchWriter } from './writer/batch-writer.js';
import { DeadLetterParking } from './writer/dead-letter-parking.js';
import { RowsAndRollupsWriter } from './writer/rows-and-rollups.writer.js';

const READS = [RequestLookupRepository, RequestSearchRepository, RollupQueryRepository, SpikeDriversRepository];

/**
 * request_logs and its rollups. StoreModule: the read repositories (the api). StoreModule.forWriter():
 * the writer, and the upkeep only the worker runs (partitions ahead and past retention, rollup retention).
 */
@Module({ providers: READS, exports: READS })
export class StoreModule {
  static forWriter() {
    return {
      module: StoreModule,
      providers: [RequestLogPartitions, RowsAndRollupsWriter, DeadLetterParking, BatchWriter, PartitionMaintainer, RollupRetention],
      exports: [BatchWriter],
    };
  }
}
