/**
 * Temporary: loads a few fixed products into PGLITE_DIR while the real seed CLI
 * (packages/db/src/cli/seed.ts) has not landed. api-server.ts prefers the seed CLI when it exists.
 */
import { categories, createDb, migrate, products } from '@triport/db';

const handle = await createDb({ url: '' });
await migrate(handle);
const [category] = await handle.db
  .insert(categories)
  .values({ slug: 'running-shoes', name: 'Running Shoes', path: '/', depth: 0 })
  .returning({ id: categories.id });
if (!category) throw new Error('no category');
const names = ['Trail Runner Pro', 'Road Racer Lite', 'Marathon Cushion', 'Sprint Spike', 'Daily Trainer', 'Hill Climber'];
await handle.db.insert(products).values(
  names.map((name, i) => ({
    sku: `FIX-${i + 1}`,
    slug: name.toLowerCase().replaceAll(' ', '-'),
    name,
    description: `${name}: a dependable running shoe for every distance.`,
    brand: i % 2 ? 'Stride' : 'Peakline',
    categoryId: category.id,
    categoryText: 'Running Shoes',
    priceCents: 5_999 + i * 1_000,
    stock: 10 + i,
    rating: 4 + (i % 10) / 10,
    ratingCount: 12 * (i + 1),
    tags: ['running'],
  })),
);
await handle.close();
