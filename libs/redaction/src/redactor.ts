import { type AccessLogRecord, MAX_API_KEY_ID_LENGTH, MAX_ERROR_CODE_LENGTH, MAX_ROUTE_LENGTH } from '#libs/access-log';
import { storedClientIp } from './client-ip.js';
import { redactJson } from './redact-json.js';
import { redactLine } from './redact-line.js';
import type { RedactionConfig } from './redaction.config.js';
import { redactText } from './redact-text.js';
import { normaliseName, REDACTED } from './secret-names.js';

/** Distinct values whose redaction is kept; at most ~2 MB of text (the fields are at most 512 characters). */
const REPEATED_VALUES_KEPT = 2048;

/**
 * Server-side redaction of a validated record, before it is queued, so a secret never reaches Redis
 * or Postgres: secret-named fields and header-list entries in `details` (any depth, REDACT_FIELDS),
 * credentials and secret pairs in every free-text field and every string inside `details`, and the
 * client IP per CLIENT_IP_MODE. (Query strings are already stripped from `path` by validation.)
 * Text with nothing that could be a secret costs one regular-expression test per field.
 */
export class Redactor {
  private readonly denied: ReadonlySet<string>;
  /** redactText of the values that repeat from record to record (routes, error codes, key ids, user agents). */
  private readonly repeated = new Map<string, string>();

  // Built by the ingest job producer from its settings, never injected: no producer can skip it.
  constructor(private readonly config: RedactionConfig) {
    this.denied = new Set(config.fields.map(normaliseName));
  }

  redact(record: AccessLogRecord): AccessLogRecord {
    const { clientIpMode, clientIpHashKey } = this.config;
    // Every field named (no spread): one object of the record's shape, built in one go.
    return {
      requestId: record.requestId,
      timestamp: record.timestamp,
      method: record.method,
      path: this.text(record.path),
      route: this.indexKey(record.route, MAX_ROUTE_LENGTH)!,
      status: record.status,
      durationMs: record.durationMs,
      error: this.indexKey(record.error, MAX_ERROR_CODE_LENGTH),
      message: this.text(record.message),
      details: record.details === null ? null : redactJson(record.details, this.denied),
      retryAfter: record.retryAfter,
      apiKeyId: this.indexKey(record.apiKeyId, MAX_API_KEY_ID_LENGTH),
      clientIp: storedClientIp(record.clientIp, clientIpMode, clientIpHashKey),
      userAgent: this.repeatedText(record.userAgent),
    };
  }

  /** A source's raw log line (kept when it was rejected), as redacted text: see redactLine. */
  line(line: unknown): string {
    return redactLine(line, this.denied, this.config.clientIpMode, this.config.clientIpHashKey);
  }

  private text<T extends string | null>(value: T): T {
    return (value === null ? null : redactText(value, this.denied)) as T;
  }

  /**
   * redactText for a field whose values repeat (a few hundred routes or user agents for millions of
   * records): one Map lookup instead of scanning the text again. The text alone decides the result,
   * so a cached one is exact; the cache is emptied when full, so memory stays bounded whatever the
   * values.
   */
  private repeatedText<T extends string | null>(value: T): T {
    if (value === null) return value;
    let masked = this.repeated.get(value);
    if (masked === undefined) {
      masked = redactText(value, this.denied);
      if (this.repeated.size >= REPEATED_VALUES_KEPT) this.repeated.clear();
      this.repeated.set(value, masked);
    }
    return masked as T;
  }

  /**
   * A field that is a btree index key: validation bounds it to `maxLength` units, at most 3 bytes of
   * UTF-8 each. Masking lengthens text (`jwt=x` → `jwt=[REDACTED]`); should that pass the same byte
   * bound (short names in REDACT_FIELDS can), the whole value is masked, so the index always takes it.
   */
  private indexKey(value: string | null, maxLength: number): string | null {
    const masked = this.repeatedText(value);
    if (masked === value || masked === null || Buffer.byteLength(masked) <= maxLength * 3) return masked;
    return value!.startsWith('/') ? `/${REDACTED}` : REDACTED;
  }
}
