import { z } from 'zod';
import type { Context } from '../context.ts';
import { appError } from '../errors.ts';
import { publicProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { brandCounts, categoriesWithCounts, suggest } from './catalog-reads.ts';
import { type CategoryTree, loadCategoryTree } from './category-tree.ts';
import { findProductById, findProductBySku, findProductBySlug } from './product.ts';
import { normalizeText } from './query-text.ts';
import { loadFacetCube } from './facet-cube.ts';
import { priceBands, searchProducts } from './search.ts';
import {
  categoriesOutputSchema,
  type SearchInput,
  searchInputSchema,
  searchOutputSchema,
  suggestInputSchema,
  suggestOutputSchema,
} from './search-schemas.ts';
import { type Product, productIdSchema, productSchema } from './schemas.ts';

const productCache = { ttlMs: 30_000, staleMs: 60_000 };
const searchCache = { ttlMs: 30_000, staleMs: 30_000 };
const treeCache = { ttlMs: 300_000, staleMs: 600_000 };

function categoryTree(ctx: Context): Promise<CategoryTree> {
  return ctx.services.cache.getOrLoad('catalog:category-tree', () => loadCategoryTree(ctx.services.db), {
    ...treeCache,
    tags: ['catalog', 'categories'],
  });
}

function categories(ctx: Context) {
  return ctx.services.cache.getOrLoad(
    'catalog:categories',
    async () => categoriesWithCounts(ctx.services.db, await categoryTree(ctx)),
    { ...treeCache, tags: ['catalog', 'categories'] },
  );
}

/** One key per distinct search: normalized text, sorted brands, defaults filled in by zod. */
export function searchCacheKey(input: SearchInput): string {
  return `search:${JSON.stringify([
    normalizeText(input.q),
    input.category ?? null,
    [...new Set(input.brand ?? [])].sort(),
    input.minPrice ?? null,
    input.maxPrice ?? null,
    input.minRating ?? null,
    input.inStock ?? false,
    input.sort,
    input.limit,
    input.cursor ?? null,
    input.facets,
  ])}`;
}

function productByKey(ctx: Context, key: string, load: () => Promise<Product | null>) {
  return ctx.services.cache.getOrLoad(key, load, { ...productCache, tags: [key, 'catalog'] });
}

const slugSchema = z.string().min(1).max(200).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'A product slug');
const skuSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A SKU');

export const catalogRouter = router({
  product: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/products/{id}', summary: 'Get a product', tags: ['catalog'], cacheControl: 'public, max-age=30' },
      soap: { operation: 'GetProduct', summary: 'Get a product by id' },
      access: 'public',
    })
    .input(z.object({ id: productIdSchema }))
    .output(productSchema)
    .query(async ({ ctx, input }) => {
      const key = `product:${input.id}`;
      const product = await productByKey(ctx, key, () => findProductById(ctx.services.db, input.id));
      if (!product) throw appError('NOT_FOUND', `No product with id ${input.id}`);
      return product;
    }),

  productBySlug: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/products/by-slug/{slug}', summary: 'Get a product by its URL slug', tags: ['catalog'], cacheControl: 'public, max-age=30' },
      soap: { operation: 'GetProductBySlug', summary: 'Get a product by its URL slug' },
      access: 'public',
    })
    .input(z.object({ slug: slugSchema }))
    .output(productSchema)
    .query(async ({ ctx, input }) => {
      const product = await productByKey(ctx, `product-slug:${input.slug}`, () => findProductBySlug(ctx.services.db, input.slug));
      if (!product) throw appError('NOT_FOUND', 'No product with this slug');
      return product;
    }),

  productBySku: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/products/by-sku/{sku}', summary: 'Get a product by SKU', tags: ['catalog'], cacheControl: 'public, max-age=30' },
      soap: { operation: 'GetProductBySku', summary: 'Get a product by SKU' },
      access: 'public',
    })
    .input(z.object({ sku: skuSchema }))
    .output(productSchema)
    .query(async ({ ctx, input }) => {
      const product = await productByKey(ctx, `product-sku:${input.sku}`, () => findProductBySku(ctx.services.db, input.sku));
      if (!product) throw appError('NOT_FOUND', 'No product with this SKU');
      return product;
    }),

  search: publicProcedure
    .meta({
      rest: {
        method: 'GET',
        path: '/products',
        summary: 'Search products',
        description:
          'Full-text search with typo tolerance and search-as-you-type, filters, facet counts and keyset pagination. ' +
          'Highlights are plain text with [start, end) ranges (UTF-16 code units): escape the text, then mark the ranges.',
        tags: ['catalog'],
        cacheControl: 'public, max-age=30',
        pagination: { cursorParam: 'cursor', nextCursorField: 'nextCursor' },
      },
      soap: { operation: 'SearchProducts', summary: 'Search products with filters, facets and a cursor' },
      access: 'public',
      cost: 2,
    })
    .input(searchInputSchema)
    .output(searchOutputSchema)
    .query(async ({ ctx, input }) => {
      const tree = await categoryTree(ctx);
      const facetCube = () =>
        ctx.services.cache.getOrLoad('catalog:facet-cube', () => loadFacetCube(ctx.services.db, priceBands), {
          ttlMs: 60_000,
          staleMs: 600_000,
          tags: ['catalog'],
        });
      return ctx.services.cache.getOrLoad(searchCacheKey(input), () => searchProducts(ctx.services.db, tree, input, { facetCube }), {
        ...searchCache,
        tags: ['catalog', 'search'],
      });
    }),

  suggest: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/suggestions', summary: 'Autocomplete suggestions for a prefix', tags: ['catalog'], cacheControl: 'public, max-age=60' },
      soap: { operation: 'SuggestProducts', summary: 'Autocomplete suggestions for a prefix' },
      access: 'public',
    })
    .input(suggestInputSchema)
    .output(suggestOutputSchema)
    .query(async ({ ctx, input }) => {
      const key = `suggest:${JSON.stringify([normalizeText(input.q).toLowerCase(), input.limit])}`;
      return ctx.services.cache.getOrLoad(
        key,
        async () => {
          const [tree, all, brands] = await Promise.all([
            categoryTree(ctx),
            categories(ctx),
            ctx.services.cache.getOrLoad('catalog:brands', () => brandCounts(ctx.services.db), { ...treeCache, tags: ['catalog'] }),
          ]);
          const counts = new Map(all.categories.map((c) => [c.id, c.productCount]));
          return suggest(ctx.services.db, tree, brands, input.q, input.limit, counts);
        },
        { ttlMs: 60_000, staleMs: 60_000, tags: ['catalog', 'suggest'] },
      );
    }),

  categories: publicProcedure
    .meta({
      rest: { method: 'GET', path: '/categories', summary: 'Category tree with product counts', tags: ['catalog'], cacheControl: 'public, max-age=300' },
      soap: { operation: 'ListCategories', summary: 'Category tree with product counts' },
      access: 'public',
    })
    .input(z.object({}).optional())
    .output(categoriesOutputSchema)
    .query(({ ctx }) => categories(ctx)),
});
