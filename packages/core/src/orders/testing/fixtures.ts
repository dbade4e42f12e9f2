import { randomUUID } from 'node:crypto';
import { categories, type Database, products, users } from '@triport/db';
import { eq } from 'drizzle-orm';
import { createMemoryCache } from '../../cache/memory-cache.ts';
import type { Plan, Principal, Role, Services } from '../../context.ts';

/**
 * Rows for tests, inserted with drizzle (no procedures involved), each with unique names so tests
 * can share a database.
 */
export interface TestUser {
  id: string;
  email: string;
  role: Role;
  plan: Plan;
}

/** A user row; the password hash is a placeholder nobody can log in with. */
export async function insertUser(db: Database, opts: { role?: Role; plan?: Plan; name?: string } = {}): Promise<TestUser> {
  const email = `u-${randomUUID()}@example.test`;
  const [row] = await db
    .insert(users)
    .values({ email, name: opts.name ?? 'Test User', passwordHash: 'x', role: opts.role ?? 'shopper', plan: opts.plan ?? 'free' })
    .returning({ id: users.id, email: users.email, role: users.role, plan: users.plan });
  if (!row) throw new Error('user insert returned nothing');
  return row;
}

/** A category under `parentId` (or a root), with its materialized path. */
export async function insertCategory(db: Database, opts: { name?: string; parentId?: number } = {}): Promise<{ id: number; name: string; path: string }> {
  const name = opts.name ?? `Category ${randomUUID().slice(0, 8)}`;
  let parentPath = '/';
  let depth = 0;
  if (opts.parentId !== undefined) {
    const [parent] = await db.select().from(categories).where(eq(categories.id, opts.parentId));
    if (!parent) throw new Error(`no category ${opts.parentId}`);
    parentPath = parent.path;
    depth = parent.depth + 1;
  }
  const [row] = await db
    .insert(categories)
    .values({ slug: `c-${randomUUID()}`, name, parentId: opts.parentId ?? null, path: '', depth })
    .returning({ id: categories.id });
  if (!row) throw new Error('category insert returned nothing');
  const path = `${parentPath}${row.id}/`;
  await db.update(categories).set({ path }).where(eq(categories.id, row.id));
  return { id: row.id, name, path };
}

/** A product row with the given stock and price. */
export async function insertProduct(
  db: Database,
  opts: { categoryId: number; stock?: number; priceCents?: number; name?: string; currency?: string },
): Promise<{ id: number; name: string; priceCents: number; stock: number; version: number }> {
  const tag = randomUUID();
  const [row] = await db
    .insert(products)
    .values({
      sku: `SKU-${tag}`,
      slug: `p-${tag}`,
      name: opts.name ?? `Product ${tag.slice(0, 8)}`,
      description: 'test product',
      brand: 'Testbrand',
      categoryId: opts.categoryId,
      priceCents: opts.priceCents ?? 1000,
      currency: opts.currency ?? 'USD',
      stock: opts.stock ?? 100,
    })
    .returning({ id: products.id, name: products.name, priceCents: products.priceCents, stock: products.stock, version: products.version });
  if (!row) throw new Error('product insert returned nothing');
  return row;
}

/** Current stock of a product, read straight from the table. */
export async function stockOf(db: Database, id: number): Promise<number> {
  const [row] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, id));
  if (!row) throw new Error(`no product ${id}`);
  return row.stock;
}

/** Services for a test: the given database and a fresh in-process cache. */
export function testServices(db: Database): Services {
  return { db, cache: createMemoryCache() };
}

/** A signed-in session principal for a user row. */
export function sessionOf(user: TestUser): Principal {
  return { kind: 'user', userId: user.id, role: user.role, plan: user.plan, sessionId: randomUUID() };
}

/** An API-key principal owned by a user row (the gateway resolves keys to this shape). */
export function apiKeyOf(user: TestUser, plan: Plan = user.plan): Principal {
  return { kind: 'apiKey', keyId: randomUUID(), userId: user.id, role: user.role, plan };
}
