import { Module } from '@nestjs/common';
import { RollupQueryRepository } from './rollup-query.repository.js';
import { RollupRetention } from './rollup-retention.js';
import { RollupRepository } from './rollup.repository.js';

/** The per-minute rollups: writes (for the worker), reads (for the api), and (worker) their retention. */
@Module({ providers: [RollupRepository, RollupQueryRepository], exports: [RollupRepository, RollupQueryRepository] })
export class RollupsModule {
  static withRetention() {
    return {
      module: RollupsModule,
      providers: [RollupRepository, RollupQueryRepository, RollupRetention],
      exports: [RollupRepository, RollupQueryRepository],
    };
  }
}
