/**
 * An error and its `cause`s, outermost first: drizzle wraps driver errors (TRPCError → DrizzleQueryError →
 * PostgresError), so what a driver said sits a few causes down. Bounded, as cause chains can be cyclic.
 *
 * @example
 * for (const e of causeChain(err, 5)) if ('code' in e) return e.code;
 */
export function* causeChain(error: unknown, maxDepth: number): Generator<object> {
  let current = error;
  for (let depth = 0; depth < maxDepth && current !== null && typeof current === 'object'; depth += 1) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}
