import { anonymousHttp, http } from './support/http.js';
import { captureOutput } from './support/output-capture.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('health', () => {
  let pipeline: Pipeline;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
  });
  afterAll(() => pipeline.close());

  it.each(['api', 'worker'] as const)('%s: liveness and readiness with real Postgres and Redis', async (which) => {
    const server = (which === 'api' ? pipeline.api : pipeline.worker!).getHttpServer();
    const live = await http(server).get('/health/live').expect(200);
    expect(live.body.status).toBe('ok');
    const ready = await http(server).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('reports Postgres down as 503 in the conventions shape', async () => {
    const broken = await startPipeline(testConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' }), { worker: false });
    try {
      const res = await http(broken.api.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body).toMatchObject({ error: 'service_unavailable', details: { error: { postgres: { status: 'down' } } } });
      await http(broken.api.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await broken.close();
    }
  });

  it('names the failed check but not where the dependency lives, and logs the cause server-side', async () => {
    const output = captureOutput();
    const broken = await startPipeline(testConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' }), { worker: false });
    try {
      const res = await anonymousHttp(broken.api.getHttpServer()).get('/health/ready').expect(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.details.error).toEqual({ postgres: { status: 'down' } });
      expect(res.body.details.info).toEqual({ redis: { status: 'up' } });
      // Prisma's message ("Can't reach database server at 127.0.0.1:1") names the host and port.
      expect(res.text).not.toMatch(/127\.0\.0\.1|reach|database server|nowhere/i);
      expect(output.lines().join('\n')).toMatch(/readiness: postgres is down: [^]*Can't reach database server at 127\.0\.0\.1:1/);
    } finally {
      output.stop();
      await broken.close();
    }
  });
});
