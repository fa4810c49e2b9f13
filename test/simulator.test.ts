import type { Server } from 'node:http';
import { TrafficGenerator } from '#libs/traffic-model';
import { parseSimulatorArgs, simulateTraffic } from '#libs/traffic-simulator';
import { TEST_API_KEY } from './support/http.js';
import { Pipeline, startPipeline } from './support/pipeline.js';
import { testConfig } from './support/test-env.js';

describe('traffic simulator against the running api', () => {
  let pipeline: Pipeline;
  let url: string;
  beforeAll(async () => {
    pipeline = await startPipeline(testConfig());
    const server: Server = await pipeline.api.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => pipeline.close());

  it('sends the requested number of records, in batches, and every one is stored', async () => {
    const seed = Math.floor(Math.random() * 1e9);
    const summary = await simulateTraffic({ url, apiKey: TEST_API_KEY, rate: 200, durationSeconds: 1.5, batchSize: 100, seed });
    expect(summary).toMatchObject({ generated: 300, shipped: 300, rejected: 0, dropped: 0, lost: 0, buffered: 0 });
    // The same seed gives the same run id: the ids this run used.
    const prefix = new TrafficGenerator({ seed }).next().requestId.split('_').slice(0, 2).join('_') + '_';
    const count = async () =>
      (
        await pipeline.db.query<{ n: number; statuses: number }>(
          'SELECT count(*)::int AS n, count(DISTINCT status)::int AS statuses FROM request_logs WHERE request_id LIKE $1',
          [`${prefix}%`],
        )
      ).rows[0];
    const deadline = Date.now() + 20_000;
    while ((await count()).n < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const stored = await count();
    expect(stored.n).toBe(300);
    expect(stored.statuses).toBeGreaterThan(3);
  });

  it('parses its command line and refuses nonsense with the usage', () => {
    expect(parseSimulatorArgs(['--rate', '50', '--duration', '10', '--url', 'http://localhost:3999'], 'k')).toEqual({
      url: 'http://localhost:3999/',
      rate: 50,
      durationSeconds: 10,
      apiKey: 'k',
    });
    expect(() => parseSimulatorArgs(['--rate', '-1'])).toThrow(/--rate must be a positive number[\s\S]*usage/);
    expect(() => parseSimulatorArgs(['--speed', '1'])).toThrow(/unknown option --speed/);
    // The key only from the environment: npm echoes the command line, key included.
    expect(() => parseSimulatorArgs(['--key', 'vlk_secret'])).toThrow(/set VERILOCK_API_KEY instead/);
  });
});
