/**
 * The map under `key` in `map`, made on first use. A batch's rows are grouped level by level (one
 * map per dimension) rather than by one joined key per row: a few short strings hashed per row
 * instead of a long key built and hashed, half the CPU (the rollup summary, the worker's metrics).
 */
export function mapUnder<K, V extends Map<unknown, unknown>>(map: Map<K, V>, key: K): V {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map() as V;
    map.set(key, inner);
  }
  return inner;
}
