/**
 * The api's JSON answers as its support clients read them (the support page's browser code and the
 * support CLI): one declaration for both. Types only, so the page's inlined client stays import-free
 * once compiled.
 */
export interface StoredRequest {
  requestId: string;
  timestamp: string;
  method: string;
  path: string;
  route: string;
  status: number;
  durationMs: number;
  error: string | null;
  message: string | null;
  details: unknown;
  retryAfter: number | null;
  apiKeyId: string | null;
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
