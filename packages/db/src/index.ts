export { createDb, defaultPgliteDir } from './client.ts';
export type { CreateDbOptions, Database, DbHandle, Schema } from './client.ts';
export { migrate, migrationsFolder } from './migrate.ts';
export { queryRows } from './rows.ts';
export { addProductTerms, refreshSearchTerms, removeProductTerms } from './search-terms.ts';
export * as schema from './schema.ts';
export {
  apiKeys,
  categories,
  idempotencyKeys,
  orderItems,
  orders,
  products,
  searchTerms,
  sessions,
  users,
} from './schema.ts';
export { createRng, demoCredentials, generateProduct, isSeeded, planCatalog, seedDatabase } from './seed/index.ts';
export type { Rng, SeedOptions, SeedProduct, SeedProgress, SeedReport } from './seed/index.ts';
