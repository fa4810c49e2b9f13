import 'reflect-metadata';
import { loadConfig } from '#libs/config';
import { createWorkerApp } from './create-worker-app.js';

const config = loadConfig(process.env);
const app = await createWorkerApp(config);
await app.listen(config.http.workerPort, config.http.host);
