import { type Database, queryRows } from '@triport/db';
import { type SQL, sql } from 'drizzle-orm';
import { shortPrefixLength } from './query-text.ts';

/**
 * What the search takes from the vocabulary (`search_terms`): completions of a short last word and
 * corrections of misspelled words. search.ts builds the queries around them.
 */

const maxCompletions = 8;

/**
 * The most used vocabulary words that start with a short last token (`mat` → mat, matte, matcha,
 * mattress). The index expands `mat:*` to every lexeme of every description (material, match, ...)
 * and `d:*` to thousands: 20–60 ms of GIN scan at 1M products (docs/search.md). Short prefixes are
 * what a shopper types on the way to a product word, so the words of names, brands, categories and
 * tags are the useful completions, plus the token as a word. Empty when the vocabulary has none
 * (then `last:*` as before).
 */
export async function completions(db: Database, tokens: string[]): Promise<string[]> {
  const last = tokens[tokens.length - 1];
  if (last === undefined || last.length > shortPrefixLength || (last.length === 1 && tokens.length === 1)) return [];
  const words = await vocabularyStartingWith(db, last);
  // The token itself too, as a whole word: `usb c` still finds "USB-C" when `c` is not among the 8.
  return words.length ? [...new Set([last, ...words])] : [];
}

/**
 * The vocabulary's completions of a 1–3 character prefix change only with the catalog, and there are
 * few such prefixes: kept per database for 30 s (as long as a cached search result), so a
 * search-as-you-type request is one statement. Admin writes drop them (`forgetCompletions`).
 */
const completionTtlMs = 30_000;
const maxCachedPrefixes = 5_000;
const completionCache = new WeakMap<Database, Map<string, { at: number; words: Promise<string[]> }>>();

function vocabularyStartingWith(db: Database, prefix: string): Promise<string[]> {
  let byPrefix = completionCache.get(db);
  if (!byPrefix) {
    byPrefix = new Map();
    completionCache.set(db, byPrefix);
  }
  const hit = byPrefix.get(prefix);
  if (hit && Date.now() - hit.at < completionTtlMs) return hit.words;
  if (byPrefix.size >= maxCachedPrefixes) byPrefix.clear();
  const words = queryRows<{ term: string }>(
    db,
    sql`SELECT term FROM search_terms WHERE left(term, ${prefix.length}::int) = ${prefix}::text ORDER BY doc_count DESC, term LIMIT ${maxCompletions}::int`,
  ).then((rows) => rows.map((r) => r.term));
  const entry = { at: Date.now(), words };
  byPrefix.set(prefix, entry);
  // A failed look-up is not remembered.
  words.catch(() => byPrefix.get(prefix) === entry && byPrefix.delete(prefix));
  return words;
}

/** Drops the cached completions of a database (after its vocabulary changed). */
export function forgetCompletions(db: Database): void {
  completionCache.delete(db);
}

/** Tokens worth correcting: 3+ characters, not a number. */
export function correctionCandidates(tokens: string[]): Array<{ i: number; t: string }> {
  return tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.length >= 3 && !/^\d+$/.test(t));
}

export function correctionValues(candidates: Array<{ i: number; t: string }>): SQL {
  return sql.join(
    candidates.map(({ t, i }) => sql`(${i}::int, ${t}::text)`),
    sql`, `,
  );
}

/** Each unknown token replaced by the closest vocabulary word, or null if nothing changed. */
export function applyCorrections(tokens: string[], found: Iterable<[number, { known: boolean; best: string | null }]>): string[] | null {
  const corrected = tokens.slice();
  let changed = false;
  for (const [i, r] of found) {
    if (r.known || !r.best) continue;
    corrected[i] = r.best;
    changed = true;
  }
  return changed ? corrected : null;
}

/** Corrects each unknown token to the closest vocabulary word (trigram similarity), or null if nothing changed. */
export async function correctTokens(db: Database, tokens: string[]): Promise<string[] | null> {
  const candidates = correctionCandidates(tokens);
  if (candidates.length === 0) return null;
  const rows = await queryRows<{ i: number; known: boolean; best: string | null }>(
    db,
    sql`SELECT v.i, EXISTS (SELECT 1 FROM search_terms s WHERE s.term = v.tok) AS known,
               (SELECT s.term FROM search_terms s WHERE s.term % v.tok
                 ORDER BY similarity(s.term, v.tok) DESC, s.doc_count DESC, s.term LIMIT 1) AS best
        FROM (VALUES ${correctionValues(candidates)}) AS v(i, tok)`,
  );
  return applyCorrections(
    tokens,
    rows.map((r) => [Number(r.i), { known: r.known, best: r.best }]),
  );
}

