export { RollupsModule } from './rollups.module.js';
export { RollupRepository } from './rollup.repository.js';
export { RollupQueryRepository } from './rollup-query.repository.js';
export type { SeriesQuery, SeriesRow, Contributor } from './rollup-query.repository.js';
export { RollupRetention } from './rollup-retention.js';
export { ROLLUP_DIMENSIONS, filterWhere } from './rollup-filter.js';
export type { RollupFilter, RollupDimension, SqlWhere } from './rollup-filter.js';
