import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '#libs/config';
import { createWorkerApp } from './create-worker-app.js';
import { WORKER_CONFIG_SLICES } from './worker.config.js';

const config = loadConfig(WORKER_CONFIG_SLICES, process.env);
const app = await createWorkerApp(config);
await app.listen(config.http.workerPort, config.http.host);
// After listen, not at init (which Nest logs as "successfully started"): from here connections are accepted.
new Logger('Bootstrap').log(`listening on ${await app.getUrl()}`);
