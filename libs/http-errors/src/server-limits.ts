import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { HttpConfig } from './http.config.js';

/**
 * How often Node looks for requests past HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS. Node's
 * default (30 s) would let a timeout fire up to 30 s late; one scan of open connections per second is cheap.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Limits on the app's HTTP server and on whom it believes, for slow or lying clients:
 * - a client has HTTP_HEADERS_TIMEOUT_MS to send its headers and HTTP_REQUEST_TIMEOUT_MS for the
 *   whole request; past either, Node answers 408 and closes the socket (Node's defaults: 60 s, 300 s);
 * - an idle keep-alive connection is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS;
 * - req.ip (what failed-authentication limits count against) follows X-Forwarded-For only through
 *   the proxies TRUST_PROXY names (Express's `trust proxy`); by default, the socket's peer address.
 * Call before listen: Node reads the check interval when the server starts listening.
 */
export function applyServerLimits(app: INestApplication, http: HttpConfig): void {
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  express.set('trust proxy', http.trustProxy);
  const server = app.getHttpServer() as Server & { connectionsCheckingInterval: number };
  server.headersTimeout = http.headersTimeoutMs;
  server.requestTimeout = http.requestTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.connectionsCheckingInterval = Math.min(TIMEOUT_CHECK_INTERVAL_MS, http.headersTimeoutMs);
}
