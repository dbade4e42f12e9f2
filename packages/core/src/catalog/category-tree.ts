import { type Database, queryRows } from '@triport/db';
import { sql } from 'drizzle-orm';

export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  path: string;
  depth: number;
}

export interface CategoryTree {
  /** Depth-first order (by path), parents before children. */
  nodes: CategoryNode[];
  byId: Map<number, CategoryNode>;
  bySlug: Map<string, CategoryNode>;
}

/** Loads the whole tree (a few hundred rows at most); callers cache it. */
export async function loadCategoryTree(db: Database): Promise<CategoryTree> {
  const rows = await queryRows<{ id: number; slug: string; name: string; parent_id: number | null; path: string; depth: number }>(
    db,
    sql`SELECT id, slug, name, parent_id, path, depth::int AS depth FROM categories`,
  );
  const nodes = rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, parentId: r.parent_id, path: r.path, depth: r.depth }));
  // Order by the numeric ids along the path, so the order is the same on every collation and driver.
  const key = (n: CategoryNode) => n.path.split('/').filter(Boolean).map(Number);
  nodes.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    return ka.length - kb.length;
  });
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])), bySlug: new Map(nodes.map((n) => [n.slug, n])) };
}

/** The node and all its descendants. */
export function subtreeIds(tree: CategoryTree, node: CategoryNode): number[] {
  return tree.nodes.filter((n) => n.path.startsWith(node.path)).map((n) => n.id);
}

/** Ids on the path of a node, root first (from its materialized path). */
export function ancestorIds(node: CategoryNode): number[] {
  return node.path.split('/').filter(Boolean).map(Number);
}

/** Adds each category's own count to itself and every ancestor. */
export function rollUp(tree: CategoryTree, own: Map<number, number>): Map<number, number> {
  const totals = new Map<number, number>();
  for (const [id, count] of own) {
    const node = tree.byId.get(id);
    if (!node) continue;
    for (const a of ancestorIds(node)) totals.set(a, (totals.get(a) ?? 0) + count);
  }
  return totals;
}
