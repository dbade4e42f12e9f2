import { z } from 'zod';
import { categoryRefSchema } from './schemas.ts';

export const searchSorts = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const;
export type SearchSort = (typeof searchSorts)[number];

/** Largest price filter accepted, in cents ($10M): keeps int4 arithmetic safe. */
export const maxPriceCents = 1_000_000_000;

/** No control characters (NUL cannot even be stored in Postgres text). */
const printable = /^\P{Cc}*$/u;

export const searchInputSchema = z
  .object({
    q: z.string().max(200).optional().describe('Free text; "quoted phrases", -exclusions and OR work; typos are corrected'),
    category: z
      .string()
      .max(100)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'A category slug')
      .optional()
      .describe('Category slug; includes its descendants'),
    brand: z.array(z.string().min(1).max(100).regex(printable, 'No control characters')).max(20).optional(),
    minPrice: z.int().min(0).max(maxPriceCents).optional().describe('Cents, inclusive'),
    maxPrice: z.int().min(0).max(maxPriceCents).optional().describe('Cents, inclusive'),
    minRating: z.number().min(0).max(5).optional(),
    inStock: z.boolean().optional(),
    sort: z.enum(searchSorts).default('relevance').describe('relevance falls back to newest without q'),
    limit: z.int().min(1).max(100).default(24),
    cursor: z.string().max(512).optional().describe('nextCursor of the previous page, same filters and sort'),
    facets: z.boolean().default(true).describe('Compute facet counts and the total (skip them for next pages)'),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type SearchInput = z.output<typeof searchInputSchema>;

/** `[start, end)` offsets in UTF-16 code units of the plain text it belongs to. */
export const textRangeSchema = z.object({ start: z.int().nonnegative(), end: z.int().nonnegative() });
export type TextRange = z.infer<typeof textRangeSchema>;

export const searchHitSchema = z.object({
  id: z.int().positive(),
  sku: z.string(),
  slug: z.string(),
  name: z.string(),
  brand: z.string(),
  category: categoryRefSchema,
  priceCents: z.int().nonnegative(),
  currency: z.string().length(3),
  stock: z.int().nonnegative(),
  inStock: z.boolean(),
  rating: z.number().min(0).max(5),
  ratingCount: z.int().nonnegative(),
  tags: z.array(z.string()),
  createdAt: z.iso.datetime(),
  /** Plain text plus ranges to emphasize: the client escapes the text and wraps the ranges itself. */
  highlight: z.object({
    name: z.array(textRangeSchema),
    snippet: z.string().describe('Plain text excerpt of the description (not HTML)'),
    snippetRanges: z.array(textRangeSchema),
  }),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const facetValueSchema = z.object({
  value: z.string(),
  label: z.string(),
  count: z.int().nonnegative(),
  selected: z.boolean(),
});
export type FacetValue = z.infer<typeof facetValueSchema>;

export const priceBandSchema = facetValueSchema.extend({
  minPrice: z.int().nonnegative().describe('Cents, inclusive'),
  maxPrice: z.int().nonnegative().nullable().describe('Cents, inclusive; null = no upper bound'),
});
export type PriceBand = z.infer<typeof priceBandSchema>;

export const searchOutputSchema = z.object({
  items: z.array(searchHitSchema),
  nextCursor: z.string().nullable(),
  /** Matches with every filter applied; null when facets were not requested. */
  total: z.int().nonnegative().nullable(),
  countsApproximate: z
    .boolean()
    .describe(
      'True when total and facet counts are not exact: browsing a large catalog with off-edge price or rating filters (counted in the enclosing price bands / rating step: upper bounds), or words matching more than 2,000 products (counted in a window of the newest matches and scaled up: estimates; relevance pages then list that window\'s matches)',
    ),
  query: z.object({
    q: z.string().nullable().describe('The query as understood (normalized)'),
    mode: z.enum(['browse', 'fulltext', 'prefix', 'corrected', 'fuzzy']),
    correctedQuery: z.string().nullable().describe('Set when typos were corrected: "showing results for ..."'),
  }),
  /** Counts for each facet reflect the other active filters; null when not requested. */
  facets: z
    .object({
      categories: z.array(facetValueSchema).describe('Children of the selected category (departments when none)'),
      brands: z.array(facetValueSchema),
      priceBands: z.array(priceBandSchema),
      ratings: z.array(facetValueSchema).describe('Cumulative: value "4" counts ratings of 4 and up'),
    })
    .nullable(),
});
export type SearchOutput = z.infer<typeof searchOutputSchema>;

export const suggestInputSchema = z.object({
  q: z.string().min(1).max(100),
  limit: z.int().min(1).max(20).default(8),
});

export const suggestOutputSchema = z.object({
  suggestions: z.array(
    z.object({
      kind: z.enum(['query', 'category', 'brand']),
      /** For `query`: the text to search; for `category`: the slug; for `brand`: the brand name. */
      value: z.string(),
      label: z.string(),
      count: z.int().nonnegative(),
    }),
  ),
});
export type SuggestOutput = z.infer<typeof suggestOutputSchema>;

export const categoryNodeSchema = z.object({
  id: z.int().positive(),
  slug: z.string(),
  name: z.string(),
  parentId: z.int().positive().nullable(),
  depth: z.int().nonnegative(),
  /** Materialized path of ids, e.g. `/3/17/`. */
  path: z.string(),
  /** Products in this category and its descendants. */
  productCount: z.int().nonnegative(),
});

export const categoriesOutputSchema = z.object({
  /** Depth-first order: every node comes after its parent. */
  categories: z.array(categoryNodeSchema),
});
export type CategoriesOutput = z.infer<typeof categoriesOutputSchema>;
