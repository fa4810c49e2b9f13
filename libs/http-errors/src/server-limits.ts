import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { HttpConfig } from './http.config.js';

/**
 * How often Node looks for requests past HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS. Node's
 * default (30 s) would let a timeout fire up to 30 s late; one scan of open connections per second is cheap.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Limits on the app's HTTP server (Fastify's, created with the adapter), for slow or lying clients:
 * - a client has HTTP_HEADERS_TIMEOUT_MS to send its headers and HTTP_REQUEST_TIMEOUT_MS for the
 *   whole request; past either, Node reports a client error (client-errors.ts answers 408 in the
 *   Verilock shape) and the socket is closed (Node's defaults: 60 s, 300 s);
 * - an idle keep-alive connection is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS;
 * (request.ip, what failed-authentication limits count against, follows X-Forwarded-For only through
 * the proxies TRUST_PROXY names: createHttpAdapter hands it to Fastify.)
 * Call before listen: Node reads the check interval when the server starts listening.
 */
export function applyServerLimits(app: INestApplication, http: HttpConfig): void {
  const server = app.getHttpServer() as Server & { connectionsCheckingInterval: number };
  server.headersTimeout = http.headersTimeoutMs;
  server.requestTimeout = http.requestTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.connectionsCheckingInterval = Math.min(TIMEOUT_CHECK_INTERVAL_MS, http.headersTimeoutMs);
}
