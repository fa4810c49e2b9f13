import type { AddressInfo, Server } from 'node:net';
import net from 'node:net';
import { anonymousHttp, http } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

const errorShape = { error: expect.any(String), message: expect.any(String), details: expect.any(Object) };

/** Sends `request` as raw bytes and resolves with everything the server wrote before closing (bounded). */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within 20 s; received ${JSON.stringify(received)}`));
    }, 20_000);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

/** The status, lower-cased headers and JSON body of a raw HTTP answer. */
function parseAnswer(raw: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

/**
 * The answers the HTTP platform (Fastify) gives by itself, before or beside any route: the Verilock
 * shape with an X-Request-Id and the security headers, and routing as Express routed (letter case,
 * trailing slash, HEAD, unknown methods).
 */
describe("the HTTP platform's own answers", () => {
  let pipeline: Pipeline;
  let port: number;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig(), { worker: false });
    const server: Server = await pipeline.api.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => pipeline.close());

  it.each([
    ['a malformed header line', 'GET /health/live HTTP/1.1\r\nHost: test\r\nNo colon here\r\n\r\n', 400, 'bad_request'],
    [
      'headers over the size limit',
      `GET /health/live HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'request_header_fields_too_large',
    ],
  ])('answers %s in the Verilock shape, with X-Request-Id and the security headers, and closes', async (_name, request, status, code) => {
    const answer = parseAnswer(await rawExchange(port, request));
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ ...errorShape, error: code, details: {} });
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers.connection).toBe('close');
  });

  it("answers a URL the router cannot decode in the Verilock shape, with the caller's request id and the security headers", async () => {
    const res = await http(pipeline.api.getHttpServer()).get('/%').set('X-Request-Id', 'edge-bad-url-1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ...errorShape, error: 'bad_request', details: {} });
    expect(res.headers['x-request-id']).toBe('edge-bad-url-1');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('routes in any letter case and with a trailing slash, as Express did', async () => {
    const server = pipeline.api.getHttpServer();
    await http(server).get('/V1/REQUESTS?limit=1').expect(200);
    await http(server).get('/v1/requests/').expect(200);
    await anonymousHttp(server).get('/health/live/').expect(200);
    // A public path is public as written: the upper-case form of /health still needs a key.
    await anonymousHttp(server).get('/HEALTH/live').expect(401);
  });

  it('answers HEAD on GET routes without a body, and methods no route has with a 404 in the Verilock shape', async () => {
    const server = pipeline.api.getHttpServer();
    const head = await anonymousHttp(server).head('/health/live').expect(200);
    expect(head.text).toBeUndefined();
    for (const method of ['options', 'put'] as const) {
      const res = await http(server)[method]('/v1/requests').expect(404);
      expect(res.body).toEqual({ ...errorShape, error: 'not_found', details: {} });
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });
});
