import { type AccessLogRecord, MAX_API_KEY_ID_LENGTH, MAX_ERROR_CODE_LENGTH, MAX_ROUTE_LENGTH } from '#libs/access-log';
import { storedClientIp } from './client-ip.js';
import { redactJson } from './redact-json.js';
import { redactLine } from './redact-line.js';
import type { RedactionConfig } from './redaction.config.js';
import { redactText } from './redact-text.js';
import { normaliseName, REDACTED } from './secret-names.js';

/**
 * Server-side redaction of a validated record, before it is queued, so a secret never reaches Redis
 * or Postgres: secret-named fields and header-list entries in `details` (any depth, REDACT_FIELDS),
 * credentials and secret pairs in every free-text field and every string inside `details`, and the
 * client IP per CLIENT_IP_MODE. (Query strings are already stripped from `path` by validation.)
 * Text with nothing that could be a secret costs one regular-expression test per field.
 */
export class Redactor {
  private readonly denied: ReadonlySet<string>;

  // Built by the ingest job producer from its settings, never injected: no producer can skip it.
  constructor(private readonly config: RedactionConfig) {
    this.denied = new Set(config.fields.map(normaliseName));
  }

  redact(record: AccessLogRecord): AccessLogRecord {
    const { clientIpMode, clientIpHashKey } = this.config;
    return {
      ...record,
      path: this.text(record.path),
      route: this.indexKey(record.route, MAX_ROUTE_LENGTH)!,
      error: this.indexKey(record.error, MAX_ERROR_CODE_LENGTH),
      message: this.text(record.message),
      details: record.details === null ? null : redactJson(record.details, this.denied),
      apiKeyId: this.indexKey(record.apiKeyId, MAX_API_KEY_ID_LENGTH),
      userAgent: this.text(record.userAgent),
      clientIp: storedClientIp(record.clientIp, clientIpMode, clientIpHashKey),
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
   * A field that is a btree index key: validation bounds it to `maxLength` units, at most 3 bytes of
   * UTF-8 each. Masking lengthens text (`jwt=x` → `jwt=[REDACTED]`); should that pass the same byte
   * bound (short names in REDACT_FIELDS can), the whole value is masked, so the index always takes it.
   */
  private indexKey(value: string | null, maxLength: number): string | null {
    const masked = this.text(value);
    if (masked === value || masked === null || Buffer.byteLength(masked) <= maxLength * 3) return masked;
    return value!.startsWith('/') ? `/${REDACTED}` : REDACTED;
  }
}
