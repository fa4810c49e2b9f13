import { Inject, Injectable } from '@nestjs/common';
import type { AccessLogRecord } from '#libs/access-log';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { storedClientIp } from './client-ip.js';
import { redactJson, redactText } from './redact-values.js';
import { normaliseName } from './secret-names.js';

/**
 * Server-side redaction, applied by the api before a record is queued, so a secret never reaches
 * Redis or Postgres: secret-named fields in `details` (any depth, REDACT_FIELDS), secret pairs and
 * bearer credentials in `message`, and the client IP per CLIENT_IP_MODE. (Query strings are
 * already stripped from `path` by validation.)
 */
@Injectable()
export class Redactor {
  private readonly denied: ReadonlySet<string>;

  // Only the redaction settings: producers outside the service (the shipper's queue sink) build one too.
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'redaction'>) {
    this.denied = new Set(config.redaction.fields.map(normaliseName));
  }

  redact(record: AccessLogRecord): AccessLogRecord {
    const { clientIpMode, clientIpHashKey } = this.config.redaction;
    return {
      ...record,
      details: record.details === null ? null : redactJson(record.details, this.denied),
      message: record.message === null ? null : redactText(record.message, this.denied),
      clientIp: storedClientIp(record.clientIp, clientIpMode, clientIpHashKey),
    };
  }
}
