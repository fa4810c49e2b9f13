import type { AddressInfo, Server } from 'node:net';
import net from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { createWorkerApp } from '../apps/worker/src/create-worker-app.js';
import { makeRecords } from './support/factories.js';
import { TEST_API_KEY } from './support/http.js';
import { testConfig } from './support/test-env.js';

/** Generous bound for "promptly": far below the request timeout these tests configure, far above a slow CI. */
const PROMPTLY_MS = 20_000;

/** A raw client: what it received, and whether (and when) the server closed the connection. */
interface RawClient {
  socket: net.Socket;
  received: () => string;
  /** Resolves, once the server has closed the connection, with the milliseconds since connecting. */
  closed: Promise<number>;
  timers: NodeJS.Timeout[];
  stop(): void;
}

function connect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timers: NodeJS.Timeout[] = [];
    const started = Date.now();
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        timers,
        stop: () => {
          timers.forEach(clearInterval);
          socket.destroy();
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** Sends one body byte every 200 ms until the socket closes (a sender that would take hours). */
function trickle(client: RawClient): void {
  const timer = setInterval(() => (client.socket.writable ? client.socket.write('[') : clearInterval(timer)), 200);
  client.timers.push(timer);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const postHeaders = (headers: string[] = []) =>
  ['POST /v1/logs HTTP/1.1', 'Host: test', 'Content-Type: application/json', 'Content-Length: 10000000', ...headers, '', ''].join('\r\n');

describe('slow senders against the api', () => {
  // Long request timeout: only the early close, not the timeout, can end the trickling requests promptly.
  const config = testConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '120000' });
  let api: NestFastifyApplication;
  let port: number;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    api = await createApiApp(config, ['error']);
    const server: Server = await api.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => clients.splice(0).forEach((c) => c.stop()));
  afterAll(() => api.close());

  it.each([
    ['without a key', []],
    ['with a wrong key', ['X-API-Key: vlk_wrong_key_for_the_slow_sender_test_000']],
  ])('a keyless POST that trickles its body gets its 401 %s at once, and the connection is closed', async (_name, headers) => {
    const client = await connect(port);
    clients.push(client);
    client.socket.write(postHeaders(headers));
    trickle(client);
    await within(client.closed, PROMPTLY_MS, 'server closing the connection');
    const [head, body] = client.received().split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 401 /);
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(body)).toMatchObject({ error: 'unauthorized' });
  });

  it('a client that never finishes its headers is disconnected after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const client = await connect(port);
    clients.push(client);
    client.socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n');
    await within(client.closed, PROMPTLY_MS, 'server closing the connection');
    expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('a keyed POST still reads its body as before', async () => {
    const client = await connect(port);
    clients.push(client);
    const body = JSON.stringify(makeRecords(1));
    client.socket.write(
      [
        'POST /v1/logs HTTP/1.1',
        'Host: test',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-API-Key: ${TEST_API_KEY}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    await within(client.closed, PROMPTLY_MS, 'the answer');
    expect(client.received()).toMatch(/^HTTP\/1\.1 202 /);
  });
});

describe('a keyed sender over its ingest rate limit', () => {
  it('gets its 429 without the body being read, and the connection is closed', async () => {
    const api = await createApiApp(testConfig({ RATE_LIMIT_INGEST_PER_WINDOW: '1', HTTP_REQUEST_TIMEOUT_MS: '120000' }), ['error']);
    const server: Server = await api.listen(0, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const clients: RawClient[] = [];
    try {
      const body = JSON.stringify(makeRecords(1));
      const first = await connect(port);
      clients.push(first);
      first.socket.write(
        [
          'POST /v1/logs HTTP/1.1',
          'Host: test',
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          `X-API-Key: ${TEST_API_KEY}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
      await within(first.closed, PROMPTLY_MS, 'the first answer');
      expect(first.received()).toMatch(/^HTTP\/1\.1 202 /);
      const limited = await connect(port);
      clients.push(limited);
      limited.socket.write(postHeaders([`X-API-Key: ${TEST_API_KEY}`]));
      trickle(limited);
      await within(limited.closed, PROMPTLY_MS, 'server closing the connection');
      expect(limited.received()).toMatch(/^HTTP\/1\.1 429 [^]*\r\nConnection: close\r\n/i);
    } finally {
      clients.forEach((c) => c.stop());
      await api.close();
    }
  });
});

describe('the request timeout', () => {
  it('cuts off a keyed sender that never finishes its body after HTTP_REQUEST_TIMEOUT_MS', async () => {
    const api = await createApiApp(testConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '3000' }), ['error']);
    const server: Server = await api.listen(0, '127.0.0.1');
    const client = await connect((server.address() as AddressInfo).port);
    try {
      client.socket.write(postHeaders([`X-API-Key: ${TEST_API_KEY}`]));
      trickle(client);
      const closedAfter = await within(client.closed, PROMPTLY_MS + 3000, 'server closing the connection');
      expect(closedAfter).toBeGreaterThanOrEqual(2900);
      expect(client.received()).not.toMatch(/^HTTP\/1\.1 202 /);
    } finally {
      client.stop();
      await api.close();
    }
  });
});

describe('slow senders against the worker', () => {
  it('a client that never finishes its headers is disconnected after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const worker = await createWorkerApp(testConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000' }), ['error']);
    const server: Server = await worker.listen(0, '127.0.0.1');
    const client = await connect((server.address() as AddressInfo).port);
    try {
      client.socket.write('GET /metrics HTTP/1.1\r\nHost: test\r\n');
      await within(client.closed, PROMPTLY_MS, 'server closing the connection');
      expect(client.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
    } finally {
      client.stop();
      await worker.close();
    }
  });
});
