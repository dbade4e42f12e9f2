import { type CategorySpec, type DepartmentSpec, departments, genericBlurbs, genericTags } from './catalog-data.ts';
import type { Rng } from './prng.ts';

/** A category row with its id fixed by the generator (ids 1..n in depth-first order). */
export interface SeedCategory {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  path: string;
  depth: number;
}

/** A product row as inserted (ids 1..n in generation order). */
export interface SeedProduct {
  id: number;
  sku: string;
  slug: string;
  name: string;
  description: string;
  brand: string;
  categoryId: number;
  categoryText: string;
  priceCents: number;
  stock: number;
  rating: number;
  ratingCount: number;
  tags: string[];
  /** ISO timestamp. */
  createdAt: string;
}

interface Leaf {
  category: SeedCategory;
  spec: CategorySpec;
  department: DepartmentSpec;
  /** Category names from the root, space-separated, for the search vector. */
  pathText: string;
}

export interface CatalogPlan {
  categories: SeedCategory[];
  leaves: Leaf[];
  /** Cumulative leaf weights, for weighted picks. */
  cumulative: number[];
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Flattens the department tree into rows with ids, materialized paths (`/1/2/`) and depths.
 * Fixed: it does not depend on the seed, so category ids are stable across seeds and drivers.
 */
export function planCatalog(): CatalogPlan {
  const categories: SeedCategory[] = [];
  const leaves: Leaf[] = [];
  const slugs = new Set<string>();
  const visit = (spec: CategorySpec, department: DepartmentSpec, parent: SeedCategory | null, names: string[]) => {
    const id = categories.length + 1;
    const slug = spec.slug ?? slugify(spec.name);
    if (slugs.has(slug)) throw new Error(`duplicate category slug ${slug}`);
    slugs.add(slug);
    const category: SeedCategory = {
      id,
      slug,
      name: spec.name,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
    };
    categories.push(category);
    const pathNames = [...names, spec.name];
    if (spec.children?.length) {
      for (const child of spec.children) visit(child, department, category, pathNames);
    } else {
      leaves.push({ category, spec, department, pathText: pathNames.join(' ') });
    }
  };
  for (const d of departments) visit(d, d, null, []);
  let total = 0;
  const cumulative = leaves.map((l) => (total += l.spec.weight ?? 1));
  return { categories, leaves, cumulative };
}

const seedEpoch = Date.UTC(2026, 9, 1); // 2026-10-01: created_at spreads over the two years before it
const twoYearsMs = 2 * 365 * 24 * 3600 * 1000;

function pickLeaf(plan: CatalogPlan, rng: Rng): Leaf {
  const total = plan.cumulative[plan.cumulative.length - 1] ?? 1;
  const x = rng.next() * total;
  let lo = 0;
  let hi = plan.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((plan.cumulative[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return plan.leaves[lo] as Leaf;
}

function priceCents(rng: Rng, [min, max]: [number, number]): number {
  const dollars = Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
  const whole = dollars < 20 ? Math.floor(dollars) : dollars < 200 ? Math.floor(dollars / 5) * 5 + 4 : Math.floor(dollars / 10) * 10 + 9;
  return Math.max(0, whole) * 100 + rng.pick([99, 99, 99, 95, 49, 0]);
}

/**
 * Generates product `id` (1-based) from the stream; call it with consecutive ids on the same rng.
 *
 * @example
 * const plan = planCatalog();
 * const rng = createRng(42);
 * const first = generateProduct(plan, rng, 1);
 */
export function generateProduct(plan: CatalogPlan, rng: Rng, id: number): SeedProduct {
  const leaf = pickLeaf(plan, rng);
  const { spec, department } = leaf;
  const series = rng.pick(spec.series ?? department.series);
  const model = department.models && rng.chance(0.35) ? ` ${rng.pick(department.models)}` : '';
  const features = spec.features ?? [];
  let chosen = rng.sample(features, rng.chance(0.45) ? 2 : 1);
  // At most one size/capacity-like feature ('14"', '256GB', '4K'): "13\" 15.6\" Notebook" reads wrong.
  if (chosen.length === 2 && chosen.every((f) => /^\d/.test(f))) chosen = chosen.slice(0, 1);
  const noun = rng.pick(spec.nouns ?? ['Item']);
  const name = [`${series}${model}`, ...chosen, noun].join(' ');
  const brand = rng.pick(department.brands);

  const blurbs = rng.sample(spec.blurbs ?? [], 2);
  const description = [
    `${name.startsWith('The ') ? '' : 'The '}${name} by ${brand}.`,
    ...blurbs,
    rng.pick(genericBlurbs),
    rng.chance(0.5) ? `Part of our ${leaf.category.name.toLowerCase()} collection.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const tags = rng.sample(spec.tags ?? [], rng.int(2, 4));
  if (rng.chance(0.3)) tags.push(rng.pick(genericTags));

  const rated = rng.chance(0.9);
  // Mostly good ratings, a tail of poor ones: 5 - |N(0.7, ...)|-ish via the sum of two uniforms.
  const rating = rated ? Math.round(Math.min(5, Math.max(1, 5.2 - (rng.next() + rng.next()) * 1.4)) * 10) / 10 : 0;
  const ratingCount = rated ? Math.floor(Math.exp(rng.next() * Math.log(5000))) : 0;
  const stock = rng.chance(0.12) ? 0 : Math.floor(Math.exp(rng.next() * Math.log(500)));

  return {
    id,
    sku: `${department.code}-${id.toString().padStart(7, '0')}`,
    slug: `${slugify(name)}-${id}`,
    name,
    description,
    brand,
    categoryId: leaf.category.id,
    categoryText: leaf.pathText,
    priceCents: priceCents(rng, spec.price ?? [5, 100]),
    stock,
    rating,
    ratingCount,
    tags: [...new Set(tags)],
    createdAt: new Date(seedEpoch - Math.floor(rng.next() * twoYearsMs)).toISOString(),
  };
}
