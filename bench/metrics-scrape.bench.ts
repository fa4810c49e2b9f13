/**
 * By hand, once (not part of npm test): ingests 100,000 varied records through the real api and
 * worker, then prints the series count of each /metrics and how long a scrape takes.
 *   npm run bench:metrics
 */
import { anonymousHttp, http } from '../test/support/http.js';
import { sampleSum } from '../test/support/metrics-text.js';
import { Pipeline, startPipeline } from '../test/support/pipeline.js';
import { testConfig } from '../test/support/test-env.js';
import { variedRecords } from '../test/support/varied-records.js';

const RECORDS = 100_000;
const PER_REQUEST = 5_000;

async function timedScrape(pipeline: Pipeline, app: 'api' | 'worker', accept = 'text/plain') {
  const started = process.hrtime.bigint();
  const res = await anonymousHttp(pipeline[app]!.getHttpServer()).get('/metrics').set('Accept', accept).expect(200);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, text: res.text };
}

test(`series count and scrape time after ${RECORDS} varied records`, async () => {
  // Generated before the apps start: building 100k records blocks the event loop for seconds, which
  // would starve the apps' first Redis round trips (and make ingest answer 503, as it should).
  const batches = Array.from({ length: RECORDS / PER_REQUEST }, () => variedRecords(PER_REQUEST, { apiKeys: 150, spreadSeconds: 3600 }));
  const pipeline = await startPipeline(testConfig({ WORKER_CONCURRENCY: '2' }));
  try {
    await http(pipeline.api.getHttpServer()).get('/health/ready').expect(200);
    const ingestStarted = Date.now();
    for (const batch of batches) await http(pipeline.api.getHttpServer()).post('/v1/logs').send(batch).expect(202);
    for (;;) {
      const { text } = await timedScrape(pipeline, 'worker');
      if (sampleSum(text, 'verilock_ingest_records_stored_total') >= RECORDS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`ingested and stored ${RECORDS} records in ${((Date.now() - ingestStarted) / 1000).toFixed(1)} s`);
    for (const app of ['api', 'worker'] as const) {
      for (const accept of ['text/plain', 'application/openmetrics-text']) {
        const runs = [];
        for (let i = 0; i < 5; i++) runs.push(await timedScrape(pipeline, app, accept));
        const { text } = runs[0];
        const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
        const families = text.split('\n').filter((l) => l.startsWith('# TYPE')).length;
        const verilock = samples.filter((l) => l.startsWith('verilock_')).length;
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
        const perFamily = new Map<string, number>();
        for (const line of samples) {
          const family = line.split(/[{ ]/)[0].replace(/_(bucket|sum|count|total)$/, '');
          perFamily.set(family, (perFamily.get(family) ?? 0) + 1);
        }
        const largest = [...perFamily]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([f, n]) => `${f} ${n}`)
          .join(', ');
        console.log(
          `${app} ${accept}: largest: ${largest}\n` +
            `${app} ${accept}: ${samples.length} series (${verilock} verilock_*) in ${families} families, ` +
            `${(text.length / 1024).toFixed(0)} KiB; ` +
            `scrape median ${ms[2].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[4].toFixed(1)})`,
        );
      }
    }
  } finally {
    await pipeline.close();
  }
}, 600_000);
