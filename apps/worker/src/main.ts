import 'reflect-metadata';
import { loadConfig } from '#libs/config';
import { createWorkerApp } from './create-worker-app.js';
import { WORKER_CONFIG_SLICES } from './worker.config.js';

const config = loadConfig(WORKER_CONFIG_SLICES, process.env);
const app = await createWorkerApp(config);
await app.listen(config.http.workerPort, config.http.host);
