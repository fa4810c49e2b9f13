/** `YYYY-MM-DD` of the UTC day containing `date`: the unit request_logs is partitioned by. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
