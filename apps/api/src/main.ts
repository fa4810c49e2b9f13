import 'reflect-metadata';
import { loadConfig } from '#libs/config';
import { createApiApp } from './create-api-app.js';

const config = loadConfig(process.env);
const app = await createApiApp(config);
await app.listen(config.http.apiPort, config.http.host);
