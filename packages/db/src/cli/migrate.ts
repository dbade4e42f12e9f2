/** `npm run db:migrate`: applies packages/db/drizzle to the database of createDb() (DATABASE_URL or PGlite). */
import { createDb } from '../client.ts';
import { migrate } from '../migrate.ts';
import { describeError } from './describe-error.ts';

async function main(): Promise<void> {
  const handle = await createDb({ maxConnections: 1 });
  try {
    process.stderr.write(`database: ${handle.kind} ${handle.target}\n`);
    await migrate(handle);
    process.stdout.write('Migrations applied.\n');
  } finally {
    await handle.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`migrate failed: ${describeError(error)}\n`);
    process.exit(1);
  },
);
