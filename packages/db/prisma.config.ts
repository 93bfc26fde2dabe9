import { defineConfig } from 'prisma/config';

// Prisma 7 reads the schema location and the migration folder from here. The datasource URL is
// only needed by Prisma's own CLI commands (`prisma migrate deploy` on a machine with internet);
// pakt applies migrations with its own migrator (src/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
