import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '#libs/config';
import { API_CONFIG_SLICES } from './api.config.js';
import { createApiApp } from './create-api-app.js';

const config = loadConfig(API_CONFIG_SLICES, process.env);
const app = await createApiApp(config);
await app.listen(config.http.apiPort, config.http.host);
// After listen, not at init (which Nest logs as "successfully started"): from here connections are accepted.
new Logger('Bootstrap').log(`listening on ${await app.getUrl()}`);
