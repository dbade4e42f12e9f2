/**
 * Turns the shopper's text into what the SQL needs. Nothing here is ever concatenated into SQL: the
 * results are bound parameters. The prefix tsquery is built only from letter/digit tokens joined by
 * `&`, so it cannot carry tsquery syntax of its own.
 */
export interface ParsedQuery {
  /** Normalized text (NFKC, no control characters, single spaces), or '' when there is none. */
  text: string;
  /** Lower-cased letter/digit words, at most `maxTokens`. */
  tokens: string[];
  /** Quotes, `-word` or `OR`: run it through websearch_to_tsquery as typed. */
  operators: boolean;
  /** `tok1 & tok2 & tok3:*` for to_tsquery (search-as-you-type), or null. */
  prefixQuery: string | null;
}

const maxTokens = 8;
const tokenPattern = /[\p{L}\p{N}]+/gu;

/** NFKC, control characters → spaces, collapsed whitespace. */
export function normalizeText(raw: string | undefined): string {
  if (!raw) return '';
  // Lone surrogates cannot be encoded for the wire; replace them rather than fail.
  const wellFormed = raw.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ' ');
  return wellFormed
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(tokenPattern) ?? []).filter((t) => t.length <= 40).slice(0, maxTokens);
}

/**
 * @example
 * parseQuery('wireless hea'); // { tokens: ['wireless', 'hea'], prefixQuery: 'wireless & hea:*', operators: false, ... }
 */
export function parseQuery(raw: string | undefined): ParsedQuery {
  const text = normalizeText(raw);
  const tokens = tokenize(text);
  const operators = /"|(^|\s)-\S|\sor\s/i.test(text);
  return { text, tokens, operators, prefixQuery: prefixQueryOf(tokens) };
}

/**
 * The last token is a prefix when it has 2+ characters, or follows other words (`standing d`): one
 * letter alone would match half the catalog, after a word it only narrows that word's matches.
 * With `completions` (vocabulary words starting with the last token) the last token is any of them.
 *
 * @example
 * prefixQueryOf(['yoga', 'mat'], ['mat', 'matte']); // 'yoga & (mat | matte)'
 */
export function prefixQueryOf(tokens: string[], completions: string[] = []): string | null {
  if (tokens.length === 0) return null;
  const last = tokens[tokens.length - 1] as string;
  const head = tokens.slice(0, -1);
  const safe = completions.filter((c) => /^[\p{L}\p{N}]+$/u.test(c));
  if (safe.length) return [...head, `(${safe.join(' | ')})`].join(' & ');
  return [...head, last.length >= 2 || head.length > 0 ? `${last}:*` : last].join(' & ');
}

/** Prefixes up to this long are completed from the vocabulary (see `completions` in vocabulary.ts). */
export const shortPrefixLength = 3;
