export { DatabaseModule, PG_POOL } from './database.module.js';
export { PrismaService } from './prisma.service.js';
