/** The label value every value beyond a cap is folded into. */
export const OTHER = 'other';

/**
 * Keeps a label's cardinality bounded: the first `max` distinct values are kept as they are, every
 * later one becomes `other`. First come, first kept, for the life of the process: a value that was
 * once exported keeps its series, so a rate never jumps between a name and `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string | null | undefined, absent = 'none'): string {
    const value = raw === null || raw === undefined || raw === '' ? absent : raw;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}
