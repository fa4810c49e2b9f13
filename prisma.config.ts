import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection URL from here, not from the schema. `prisma generate` needs no
// database, so a missing DATABASE_URL only matters for `prisma migrate` commands.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unset' },
});
