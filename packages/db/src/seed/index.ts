export { apiKeyParts, demoCredentials, hashPasswordWithSalt } from './demo-accounts.ts';
export { generateProduct, planCatalog, slugify } from './generate.ts';
export type { CatalogPlan, SeedCategory, SeedProduct } from './generate.ts';
export { createRng } from './prng.ts';
export type { Rng } from './prng.ts';
export { isSeeded, seedDatabase } from './seed.ts';
export type { SeedOptions, SeedProgress, SeedReport } from './seed.ts';
