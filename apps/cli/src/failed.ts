import { loadConfig } from '#libs/config';
import { FailedBatches } from '#libs/failed-batches';
import { createIngestQueue, ingestQueueSettings, QUEUE_CONFIG } from '#libs/queue';
import { REDIS_CONFIG } from '#libs/redis';
import { CliExit, failFast, runCli } from './run-cli.js';

const USAGE = `usage: npm run failed -- list
       npm run failed -- show JOB_ID
       npm run failed -- retry JOB_ID | --all`;

/** The failed set from a shell: the same service as GET /v1/admin/failed-batches. */
await runCli(async () => {
  const [command, arg] = process.argv.slice(2);
  const config = loadConfig([REDIS_CONFIG, QUEUE_CONFIG], process.env);
  const queue = createIngestQueue(ingestQueueSettings(config), 'consumer', failFast);
  const failed = new FailedBatches(queue);
  try {
    if (command === 'list') {
      const { total, batches } = await failed.list();
      console.log(`${total} failed batch(es)`);
      for (const b of batches) console.log(`${b.id}\t${b.records} records\t${b.attemptsMade} attempts\t${b.failedAt}\t${b.failedReason}`);
    } else if (command === 'show' && arg) {
      const batch = await failed.show(arg);
      if (!batch) throw new CliExit(1, `no failed batch with id ${arg}`);
      console.log(JSON.stringify(batch, null, 2));
    } else if (command === 'retry' && arg === '--all') {
      console.log(`retried ${await failed.retryAll()} batch(es)`);
    } else if (command === 'retry' && arg) {
      if (!(await failed.retry(arg))) throw new CliExit(1, `no failed batch with id ${arg}`);
      console.log(`retried ${arg}`);
    } else {
      throw new CliExit(2, USAGE);
    }
  } finally {
    await queue.close();
  }
});
