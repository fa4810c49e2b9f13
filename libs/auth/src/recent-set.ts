/**
 * Strings remembered for `ttlMs` each, at most `maxEntries` of them: when full, the oldest entry is
 * forgotten first (it would expire first anyway), so memory stays bounded whatever callers add.
 */
export class RecentSet {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(value: string): boolean {
    const expiry = this.expiries.get(value);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.expiries.delete(value);
    return false;
  }

  add(value: string): void {
    if (this.ttlMs <= 0) return;
    // Re-inserted at the end, so the Map's order stays the order of expiry.
    this.expiries.delete(value);
    this.expiries.set(value, this.now() + this.ttlMs);
    if (this.expiries.size > this.maxEntries) this.expiries.delete(this.expiries.keys().next().value!);
  }

  get size(): number {
    return this.expiries.size;
  }
}
