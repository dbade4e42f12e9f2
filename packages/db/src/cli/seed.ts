/**
 * `npm run seed -- --products N --seed S [--reset]`: migrates, then seeds the database of createDb()
 * (DATABASE_URL, or PGlite at .data/pglite) and prints the demo credentials.
 */
import { parseArgs } from 'node:util';
import { createDb } from '../client.ts';
import { migrate } from '../migrate.ts';
import { describeError } from './describe-error.ts';
import { seedDatabase } from '../seed/seed.ts';
import { progressBar } from './progress-bar.ts';

const usage = 'usage: npm run seed -- [--products N (default 10000)] [--seed S (default 42)] [--reset]';

function parseIntArg(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer between ${min} and ${max}\n${usage}`);
  return n;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }

  const handle = await createDb({ maxConnections: 2 });
  try {
    process.stderr.write(`database: ${handle.kind} ${handle.target}\n`);
    await migrate(handle);
    const report = await seedDatabase(handle.db, {
      products: args.products,
      seed: args.seed,
      reset: args.reset,
      onProgress: progressBar(),
    });
    if (report.skipped) {
      process.stdout.write('The database is already seeded; nothing written (use --reset to start over).\n');
    } else {
      process.stdout.write(
        `Seeded ${report.products.toLocaleString('en-US')} products in ${report.categories} categories, ` +
          `${report.users} users and ${report.apiKeys} API keys (seed ${report.seed}) in ${(report.ms / 1000).toFixed(1)} s.\n`,
      );
    }
    const c = report.credentials;
    process.stdout.write(
      [
        'Demo credentials (public, for local use only):',
        `  shopper      ${c.shopper.email} / ${c.shopper.password}`,
        `  admin        ${c.admin.email} / ${c.admin.password}`,
        `  premium user ${c.developer.email} / ${c.developer.password}`,
        `  free API key     ${c.freeApiKey}`,
        `  premium API key  ${c.premiumApiKey}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await handle.close();
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      products: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return {
    products: parseIntArg('products', values.products, 10_000, 0, 50_000_000),
    seed: parseIntArg('seed', values.seed, 42, -2_147_483_648, 4_294_967_295),
    reset: values.reset ?? false,
    help: values.help ?? false,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nseed failed: ${describeError(error)}\n`);
    process.exit(1);
  },
);
