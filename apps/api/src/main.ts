import 'reflect-metadata';
import { loadConfig } from '#libs/config';
import { API_CONFIG_SLICES } from './api.config.js';
import { createApiApp } from './create-api-app.js';

const config = loadConfig(API_CONFIG_SLICES, process.env);
const app = await createApiApp(config);
await app.listen(config.http.apiPort, config.http.host);
