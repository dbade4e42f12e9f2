/**
 * The committed relevance list: for the seed catalog (`seedDatabase(db, { products: 3_000, seed: 42 })`),
 * queries and what must rank in the top 5. `mustMatch` is checked on each of the top 5 names;
 * `mode`/`corrected` pin how the query was understood.
 */
export interface RelevanceCase {
  q: string;
  /** Every one of the top 5 names must match. */
  mustMatch: RegExp;
  /** And none may match this. */
  mustNotMatch?: RegExp;
  mode?: 'fulltext' | 'prefix' | 'corrected' | 'fuzzy';
  corrected?: string;
}

export const relevanceCases: RelevanceCase[] = [
  { q: 'laptop', mustMatch: /laptop/i, mode: 'prefix' },
  { q: 'laptops', mustMatch: /laptop/i },
  { q: 'lapto', mustMatch: /laptop/i, mode: 'prefix' },
  { q: 'headphones', mustMatch: /headphones/i },
  { q: 'hedphones', mustMatch: /headphones/i, mode: 'corrected', corrected: 'headphones' },
  { q: 'wireless headphones', mustMatch: /wireless.*headphones/i },
  { q: 'noise cancelling headphones', mustMatch: /noise-cancelling.*headphones/i },
  { q: 'mechanical keyboard', mustMatch: /mechanical keyboard/i },
  { q: 'keybord', mustMatch: /keyboard/i, mode: 'corrected', corrected: 'keyboard' },
  { q: 'gaming monitor', mustMatch: /gaming monitor/i },
  { q: 'moniter', mustMatch: /monitor/i },
  { q: 'monitr', mustMatch: /monitor/i, mode: 'corrected', corrected: 'monitor' },
  { q: 'smartphone', mustMatch: /smartphone/i },
  { q: 'mirrorless camera', mustMatch: /mirrorless camera/i },
  { q: 'camra', mustMatch: /camera/i, mode: 'corrected', corrected: 'camera' },
  { q: 'running shoes', mustMatch: /running shoes/i },
  { q: '"running shoes" -trail', mustMatch: /running shoes/i, mustNotMatch: /trail/i, mode: 'fulltext' },
  { q: 'rain jacket', mustMatch: /rain jacket/i },
  { q: 'jackt', mustMatch: /jacket/i, mode: 'corrected', corrected: 'jacket' },
  { q: 'espresso machine', mustMatch: /espresso machine/i },
  { q: 'whole bean coffee', mustMatch: /whole bean coffee/i },
  { q: 'cofee', mustMatch: /coffee/i, mode: 'corrected', corrected: 'coffee' },
  { q: 'dark roast', mustMatch: /dark roast/i },
  { q: 'yoga mat', mustMatch: /yoga mat/i },
  { q: 'cast iron', mustMatch: /cast iron/i },
  { q: 'standing desk', mustMatch: /standing desk/i },
  { q: 'board game', mustMatch: /board game/i },
  { q: 'jigsaw puzzle', mustMatch: /jigsaw puzzle/i },
  { q: 'tent', mustMatch: /tent/i },
  { q: 'head', mustMatch: /head/i, mode: 'prefix' },
  // Short last words: completed from the vocabulary (and kept as a word).
  { q: 'standing d', mustMatch: /standing desk/i, mode: 'prefix' },
  { q: 'yoga ma', mustMatch: /yoga mat/i, mode: 'prefix' },
  { q: 'cast i', mustMatch: /cast iron/i, mode: 'prefix' },
];
