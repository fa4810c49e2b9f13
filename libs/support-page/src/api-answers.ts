/**
 * The api's JSON answers as its support clients read them (the support page's browser code and the
 * support CLI): one declaration for both. Types only, so the page's inlined client stays import-free
 * once compiled.
 */
import type { AccessLogRecord } from '#libs/access-log';

/** A stored record as the lookup answers it: the record without the client's address and agent, plus when it arrived. */
export interface StoredRequest extends Omit<AccessLogRecord, 'clientIp' | 'userAgent'> {
  receivedAt: string;
  storedAt: string;
  statusMeaning: { name: string; description: string; documented: boolean };
}

export interface Neighbor {
  requestId: string;
  timestamp: string;
  method: string;
  route: string;
  status: number;
  error: string | null;
  durationMs: number;
}

export interface Spike {
  status: number;
  start: string;
  end: string;
  count: number;
  peakRate: number;
  baselineRate: number;
  factor: number;
  topRoutes: { route: string; count: number }[];
  topApiKeys: { apiKeyId: string; count: number }[];
}
