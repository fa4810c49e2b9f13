import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AccessLogRecord } from '#libs/access-log';
import { httpSink } from './http-sink.js';
import { PermanentSinkError, RetryLaterError } from './log-sink.js';

describe('httpSink answers', () => {
  let server: Server;
  let answer: { status: number; headers?: Record<string, string>; body?: string };
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());
  const send = () => httpSink({ url }).send([] as AccessLogRecord[]);

  it('202: how many records the api rejected on their own', async () => {
    answer = { status: 202, body: '{"accepted":3,"rejected":[{"index":1,"details":{}}],"rejectedCount":1}' };
    await expect(send()).resolves.toEqual({ rejected: 1 });
  });

  it("429 and 503: RetryLaterError with the answer's Retry-After, seconds or an HTTP-date", async () => {
    answer = { status: 429, headers: { 'retry-after': '30' } };
    await expect(send()).rejects.toMatchObject({ name: 'RetryLaterError', retryAfterMs: 30_000 });
    answer = { status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } };
    const err = (await send().catch((e: unknown) => e)) as RetryLaterError;
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(err.retryAfterMs).toBeGreaterThan(55_000);
    answer = { status: 503 };
    await expect(send()).rejects.toMatchObject({ retryAfterMs: undefined });
  });

  it('other 5xx: a plain (temporary) error; other 4xx: PermanentSinkError with the status', async () => {
    answer = { status: 500 };
    const temporary = await send().catch((e: unknown) => e);
    expect(temporary).not.toBeInstanceOf(PermanentSinkError);
    expect(temporary).not.toBeInstanceOf(RetryLaterError);
    answer = { status: 401 };
    await expect(send()).rejects.toMatchObject({ name: 'PermanentSinkError', status: 401 });
  });
});
