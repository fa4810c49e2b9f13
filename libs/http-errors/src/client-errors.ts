import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException } from '@nestjs/common';
import { errorAnswerFor } from './all-exceptions.filter.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** What Node reports before a request exists (the codes and statuses Node's own answers use). */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received within the time the service allows.'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are larger than the service accepts.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'The chunk extensions of the request body are larger than the service accepts.'],
};
const MALFORMED: [number, string] = [400, 'The request is not valid HTTP.'];

type ClientSocket = Socket & { _httpMessage?: { _headerSent?: boolean } | null };

/**
 * The server's `clientError` handler (Fastify's `clientErrorHandler`): a malformed request line or
 * header, headers over the size limit or past HTTP_HEADERS_TIMEOUT_MS. No request exists yet, so the
 * answer is written on the socket, as Node's own would be, but in the Verilock shape with an
 * X-Request-Id and the security headers, rendered by the same function as every other error.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: ClientSocket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node: never write into a response already under way on this connection (it would corrupt it).
  if (socket.writable && !socket._httpMessage?._headerSent) {
    const [status, message] = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
    const requestId = randomUUID();
    const body = JSON.stringify(errorAnswerFor(new HttpException(message, status), requestId).body);
    const headers = { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: requestId, 'Content-Type': 'application/json; charset=utf-8' };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n${head.join('')}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
