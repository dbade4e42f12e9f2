import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL here; the same folder is applied to Postgres and PGlite by src/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema.ts',
  out: './packages/db/drizzle',
});
