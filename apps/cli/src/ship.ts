import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfig } from '#libs/config';
import { InvalidInput } from '#libs/errors';
import { FileSource, parseShipArgs, SinkCredentialsRefused } from '#libs/file-source';
import { selectFormat } from '#libs/log-formats';
import { httpSink, type LogSink, queueSink } from '#libs/log-shipper';
import { PRODUCER_CONFIG, QUEUE_CONFIG } from '#libs/queue';
import { REDACTION_CONFIG } from '#libs/redaction';
import { REDIS_CONFIG } from '#libs/redis';
import { CliExit, runCli } from './run-cli.js';

/** `npm run ship -- --file … --format nginx`: tails an access log into Verilock (docs/sources.md#the-file-source). */
await runCli(async () => {
  let args;
  let format;
  try {
    args = parseShipArgs(process.argv.slice(2), process.env.VERILOCK_URL ?? `http://localhost:${process.env.API_PORT || 3000}`);
    format = selectFormat(args.formatQuery);
  } catch (err) {
    const details = err instanceof InvalidInput ? `: ${JSON.stringify(err.details)}` : '';
    throw new CliExit(2, `${(err as Error).message}${details}`);
  }
  const sink = args.sink === 'queue' ? queueSinkFromEnv() : httpSink({ url: args.url, apiKey: process.env.VERILOCK_API_KEY });
  if (args.sink === 'http' && !process.env.VERILOCK_API_KEY) console.warn('[ship] VERILOCK_API_KEY is not set: the api will answer 401');
  await mkdir(dirname(args.checkpoint), { recursive: true });
  const source = new FileSource({
    path: args.file,
    checkpointPath: args.checkpoint,
    sink,
    mapper: format.mapper,
    batchSize: args.batchSize,
    maxLineBytes: args.maxLineBytes,
    progressIntervalMs: args.progressSeconds * 1000,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => source.stop());
  console.error(
    `[ship] ${args.file} (format ${format.format}) → ${args.sink === 'http' ? args.url : 'the queue'}; checkpoint ${args.checkpoint}`,
  );
  try {
    await source.run();
  } catch (err) {
    if (err instanceof SinkCredentialsRefused) throw new CliExit(1, `[ship] stopped: ${err.message}`);
    throw err;
  } finally {
    await sink.close();
  }
});

/** The queue sink with the service's own settings, read from the same variables the service reads. */
function queueSinkFromEnv(): LogSink {
  const config = loadConfig([REDIS_CONFIG, QUEUE_CONFIG, PRODUCER_CONFIG, REDACTION_CONFIG], process.env);
  return queueSink({
    redisUrl: config.redis.url,
    prefix: config.redis.keyPrefix,
    jobAttempts: config.queue.jobAttempts,
    jobBackoffMs: config.queue.jobBackoffMs,
    redactFields: config.redaction.fields.join(','),
    clientIpMode: config.redaction.clientIpMode,
    clientIpHashKey: config.redaction.clientIpHashKey,
    maxBacklog: config.producer.maxBacklog,
    maxRedisMemoryBytes: config.producer.maxRedisMemoryBytes,
  });
}
