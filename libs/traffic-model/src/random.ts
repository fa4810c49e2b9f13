/** A small seeded PRNG (mulberry32): the same seed gives the same traffic, so tests and runs are repeatable. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A `prefix_` id with `length` base-36 characters, always containing a digit (so routes derive it as `:id`). */
export function randomId(random: Random, prefix: string, length = 10): string {
  let id = String(Math.floor(random() * 10));
  while (id.length < length) id += Math.floor(random() * 36).toString(36);
  return `${prefix}_${id}`;
}
