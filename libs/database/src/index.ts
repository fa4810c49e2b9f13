export { DatabaseModule, PG_POOL } from './database.module.js';
export { PrismaService } from './prisma.service.js';
export { ReadPool } from './read-pool.js';
export { DATABASE_CONFIG } from './database.config.js';
export type { DeadLetterRecord } from './generated/prisma/client.js';
