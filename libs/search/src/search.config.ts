import { defineConfigSlice, positiveInt, type SliceValue } from '#libs/config';

export const SEARCH_CONFIG = defineConfigSlice({
  key: 'search',
  variables: {
    // Cells (series × buckets) one error-rates answer may hold; ~20k cells is ~2 MB of JSON.
    ERROR_RATES_MAX_POINTS: positiveInt.max(1_000_000).default(20_000),
  },
  build: (env) => ({ errorRatesMaxPoints: env.ERROR_RATES_MAX_POINTS }),
});
export type SearchConfig = SliceValue<typeof SEARCH_CONFIG>;
