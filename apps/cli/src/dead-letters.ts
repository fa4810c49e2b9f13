import pg from 'pg';
import { loadConfig } from '#libs/config';
import { DATABASE_CONFIG, PrismaService } from '#libs/database';
import { DeadLetterRepository, DeadLetters, deadLetterId } from '#libs/failed-batches';
import { createIngestQueue, IngestJobProducer, ingestQueueSettings, PRODUCER_CONFIG, producerSettings, QUEUE_CONFIG } from '#libs/queue';
import { REDACTION_CONFIG } from '#libs/redaction';
import { REDIS_CONFIG } from '#libs/redis';
import { CliExit, failFast, runCli } from './run-cli.js';

const USAGE = `usage: npm run dead-letters -- list [LIMIT]
       npm run dead-letters -- show ID
       npm run dead-letters -- retry ID
       npm run dead-letters -- delete ID
       npm run dead-letters -- purge`;

/** The dead letter from a shell: the same service as GET /v1/admin/dead-letters. */
await runCli(async () => {
  const [command, arg] = process.argv.slice(2);
  const config = loadConfig([DATABASE_CONFIG, REDIS_CONFIG, QUEUE_CONFIG, PRODUCER_CONFIG, REDACTION_CONFIG], process.env);
  const pool = new pg.Pool({ connectionString: config.database.url, max: 1 });
  const prisma = new PrismaService(pool);
  const queue = createIngestQueue(ingestQueueSettings(config), 'consumer', failFast);
  // Retries go through the same job constructor as HTTP ingest (backpressure included).
  const deadLetters = new DeadLetters(new DeadLetterRepository(prisma), new IngestJobProducer(queue, producerSettings(config)));
  const notFound = () => new CliExit(1, `no dead-lettered record with id ${arg}`);
  const id = deadLetterId(arg ?? '');
  try {
    if (command === 'list') {
      const limit = arg === undefined ? 100 : Number(arg);
      if (!Number.isInteger(limit) || limit < 1) throw new CliExit(2, USAGE);
      const { total, records } = await deadLetters.list(limit);
      console.log(`${total} dead-lettered record(s)`);
      for (const r of records)
        console.log(
          `${r.id}\t${r.requestId}\t${r.timestamp}\t${r.reason}\t${r.sqlstate ?? '-'}\t${r.firstSeenAt.toISOString()}\t${r.message}`,
        );
    } else if (command === 'show' && arg) {
      const record = id && (await deadLetters.show(id));
      if (!record) throw notFound();
      console.log(JSON.stringify(record, null, 2));
    } else if (command === 'retry' && arg) {
      if (!id || !(await deadLetters.retry(id))) throw notFound();
      console.log(`retried ${arg}`);
    } else if (command === 'delete' && arg) {
      if (!id || !(await deadLetters.delete(id))) throw notFound();
      console.log(`deleted ${arg}`);
    } else if (command === 'purge') {
      console.log(`purged ${await deadLetters.purge()} record(s)`);
    } else {
      throw new CliExit(2, USAGE);
    }
  } finally {
    await queue.close();
    await prisma.$disconnect();
    await pool.end();
  }
});
