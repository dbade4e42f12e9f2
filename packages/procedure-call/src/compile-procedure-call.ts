import { type AnyTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { getParseFn } from '@trpc/server/unstable-core-do-not-import';
import { deepFreeze } from './deep-freeze.ts';

/** What an adapter passes to a procedure: the options of tRPC's own server-side call. */
export interface ProcedureCallOptions {
  ctx: unknown;
  getRawInput: () => Promise<unknown>;
  path: string;
  type: 'query' | 'mutation';
  signal: AbortSignal | undefined;
  batchIndex: number;
}

/** Runs the procedure (middlewares, input and output parsers, resolver); rejects with a `TRPCError`. */
export type ProcedureCall = (opts: ProcedureCallOptions) => Promise<unknown>;

type MiddlewareResult = { ok: true; data: unknown } | { ok: false; error: TRPCError };

interface MiddlewareOptions extends ProcedureCallOptions {
  input: unknown;
}

interface NextOptions {
  ctx?: Record<string, unknown>;
  input?: unknown;
  getRawInput?: () => Promise<unknown>;
}

type Middleware = (opts: MiddlewareOptions & { meta: unknown; next(nextOpts?: NextOptions): Promise<MiddlewareResult> }) => Promise<MiddlewareResult>;

interface ProcedureDef {
  middlewares?: unknown;
  meta?: unknown;
  caller?: unknown;
  output?: unknown;
}

/**
 * tRPC's output middleware (same error), except that a frozen result is validated once: its parsed
 * output is kept (frozen too) and returned for the same object again. Cached values are frozen when
 * cached, so a cache hit skips re-validating what was validated when it was first served.
 */
function memoizedOutputMiddleware(parse: (value: unknown) => unknown): Middleware {
  const validated = new WeakMap<object, unknown>();
  return async ({ next }) => {
    const result = await next();
    if (!result.ok) return result;
    const raw = result.data;
    const reusable = typeof raw === 'object' && raw !== null && Object.isFrozen(raw);
    if (reusable && validated.has(raw)) return { ...result, data: validated.get(raw) };
    let data: unknown;
    try {
      data = await parse(raw);
    } catch (cause) {
      throw new TRPCError({ message: 'Output validation failed', code: 'INTERNAL_SERVER_ERROR', cause });
    }
    if (reusable) validated.set(raw, deepFreeze(data));
    return { ...result, data };
  };
}

/**
 * A faster equivalent of calling a tRPC procedure directly (`procedure(opts)`), for adapters that
 * call procedures on every request.
 *
 * tRPC 11.22's `callRecursive` builds the options of every middleware with a down-levelled object
 * spread (`_objectSpread2`: `Object.keys` + `defineProperty` per key), twice per middleware and once
 * more for each context extension: ~12 µs of a ~25 µs cached read (bench/FINDINGS.md). This runs the
 * same `_def.middlewares` chain (tRPC's own input parser, output parser, error formatter and resolver
 * middlewares included) with the same options and the same `next()` semantics, using native spreads.
 * Procedures with a caller override (`experimental_caller`) or an unknown shape are called as they are.
 * One difference, by design: a frozen result's output is validated once (see memoizedOutputMiddleware).
 * The parity tests in this package run every case both ways and compare results and errors.
 *
 * @example
 * const call = compileProcedureCall(router._def.procedures['notes.get']);
 * const note = await call({ ctx, getRawInput: async () => ({ id: 1 }), path: 'notes.get', type: 'query', signal: undefined, batchIndex: 0 });
 */
export function compileProcedureCall(procedure: AnyTRPCProcedure): ProcedureCall {
  const def = procedure._def as unknown as ProcedureDef;
  const middlewares = def.middlewares;
  if (def.caller || !Array.isArray(middlewares) || !middlewares.every((m) => typeof m === 'function')) {
    return procedure as unknown as ProcedureCall;
  }
  const output = def.output;
  const chain = (middlewares as Array<Middleware & { _type?: string }>).map((m) =>
    m._type === 'output' && output !== undefined ? memoizedOutputMiddleware(getParseFn(output as Parameters<typeof getParseFn>[0])) : m,
  );
  const meta = def.meta;

  async function run(index: number, opts: MiddlewareOptions): Promise<MiddlewareResult> {
    try {
      const middleware = chain[index];
      if (!middleware) throw new Error('No result from middlewares - did you forget to `return next()`?');
      return await middleware({
        ...opts,
        meta,
        next(nextOpts?: NextOptions) {
          return run(index + 1, {
            ...opts,
            ctx: nextOpts?.ctx ? { ...(opts.ctx as Record<string, unknown>), ...nextOpts.ctx } : opts.ctx,
            input: nextOpts && 'input' in nextOpts ? nextOpts.input : opts.input,
            getRawInput: nextOpts?.getRawInput ?? opts.getRawInput,
          });
        },
      });
    } catch (cause) {
      return { ok: false, error: getTRPCErrorFromUnknown(cause) };
    }
  }

  return async (opts) => {
    const result = await run(0, { ...opts, input: undefined });
    if (!result) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'No result from middlewares - did you forget to `return next()`?' });
    if (!result.ok) throw result.error;
    return result.data;
  };
}
