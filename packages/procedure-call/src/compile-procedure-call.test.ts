import { type AnyTRPCProcedure, initTRPC, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileProcedureCall, type ProcedureCallOptions } from './compile-procedure-call.ts';
import { deepFreeze } from './deep-freeze.ts';

interface Context {
  user?: { id: number; role: string };
  trail: string[];
}

const t = initTRPC.context<Context>().meta<{ tag?: string }>().create();

const record = t.middleware(({ ctx, meta, path, type, next }) => {
  ctx.trail.push(`${path}:${type}:${meta?.tag ?? '-'}`);
  return next();
});
const withUser = t.middleware(({ next }) => next({ ctx: { user: { id: 7, role: 'admin' } } }));
const requireAdmin = t.middleware(({ ctx, next }) => {
  if (ctx.user?.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'admins only' });
  return next();
});
const upperInput = t.middleware(async ({ input, next }) => next({ input: { ...(input as object), name: String((input as { name: string }).name).toUpperCase() } }));
const swapRawInput = t.middleware(({ next }) => next({ getRawInput: async () => ({ id: 99 }) }));
const crash = t.middleware(() => {
  throw new Error('boom');
});
const signalSeen = t.middleware(({ signal, next }) => next({ ctx: { trail: [`aborted:${String(signal?.aborted)}`] } }));
const base = t.procedure.use(record);

const procedures: Record<string, AnyTRPCProcedure> = {
  plain: base.meta({ tag: 'p' }).query(() => 'ok'),
  parsed: base
    .input(z.object({ id: z.coerce.number().int().positive() }))
    .output(z.object({ id: z.number(), double: z.number() }))
    .query(({ input }) => ({ id: input.id, double: input.id * 2 })),
  mergedInputs: base
    .input(z.object({ a: z.string() }))
    .input(z.object({ b: z.number() }))
    .query(({ input }) => `${input.a}${input.b}`),
  contextExtended: base.use(withUser).use(requireAdmin).query(({ ctx }) => ({ user: ctx.user, trail: ctx.trail })),
  forbidden: base.use(requireAdmin).query(() => 'never'),
  inputRewritten: base.input(z.object({ name: z.string() })).use(upperInput).mutation(({ input }) => input.name),
  rawInputSwapped: base.use(swapRawInput).input(z.object({ id: z.number() })).query(({ input }) => input.id),
  middlewareCrash: base.use(crash).query(() => 'never'),
  resolverThrows: base.query(() => {
    throw new TRPCError({ code: 'CONFLICT', message: 'stale version', cause: new Error('v1 != v2') });
  }),
  resolverCrash: base.query(() => {
    throw new TypeError('undefined is not a function');
  }),
  badOutput: base.output(z.object({ n: z.number() })).query(() => ({ n: 'not a number' }) as unknown as { n: number }),
  signal: base.use(signalSeen).query(({ ctx }) => ctx.trail),
  noReturn: base.use(t.middleware(async () => undefined as never)).query(() => 'never'),
};

const inputs: Record<string, unknown[]> = {
  parsed: [{ id: '5' }, { id: -1 }, undefined, { id: 'x' }],
  mergedInputs: [{ a: 'x', b: 2 }, { a: 'x' }],
  inputRewritten: [{ name: 'ada' }, { name: 3 }],
  rawInputSwapped: [{ id: 1 }],
};

async function settle(fn: () => Promise<unknown>) {
  try {
    return { ok: true as const, value: await fn() };
  } catch (error) {
    const e = error as TRPCError;
    return {
      ok: false as const,
      isTRPCError: error instanceof TRPCError,
      code: e.code,
      message: e.message,
      cause: e.cause ? { name: e.cause.name, message: e.cause.message } : undefined,
    };
  }
}

describe('compileProcedureCall runs the same chain as calling the procedure', () => {
  for (const [name, procedure] of Object.entries(procedures)) {
    for (const input of inputs[name] ?? [undefined]) {
      it(`${name}(${JSON.stringify(input)})`, async () => {
        const controller = new AbortController();
        const opts = (trail: string[]): ProcedureCallOptions => ({
          ctx: { trail } satisfies Context,
          getRawInput: async () => input,
          path: name,
          type: procedure._def.type === 'mutation' ? 'mutation' : 'query',
          signal: controller.signal,
          batchIndex: 0,
        });
        const trpcTrail: string[] = [];
        const oursTrail: string[] = [];
        const expected = await settle(() => (procedure as unknown as (o: ProcedureCallOptions) => Promise<unknown>)(opts(trpcTrail)));
        const actual = await settle(() => compileProcedureCall(procedure)(opts(oursTrail)));
        expect(actual).toEqual(expected);
        expect(oursTrail).toEqual(trpcTrail);
        // Not vacuous: every case ran the recording middleware.
        expect(oursTrail.length).toBeGreaterThan(0);
      });
    }
  }

  it('covers both outcomes and every error code the cases raise', async () => {
    const outcomes = new Set<string>();
    for (const [name, procedure] of Object.entries(procedures)) {
      for (const input of inputs[name] ?? [undefined]) {
        const r = await settle(() =>
          compileProcedureCall(procedure)({ ctx: { trail: [] }, getRawInput: async () => input, path: name, type: 'query', signal: undefined, batchIndex: 0 }),
        );
        outcomes.add(r.ok ? 'ok' : r.code);
      }
    }
    expect([...outcomes].sort()).toEqual(['BAD_REQUEST', 'CONFLICT', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR', 'ok']);
  });

  it('leaves procedures with a caller override to tRPC', () => {
    const overridden = t.procedure.experimental_caller(async ({ invoke, _def }) => invoke({ ctx: { trail: [] }, getRawInput: async () => undefined, path: 'x', type: _def.type, signal: undefined, batchIndex: 0 })).query(() => 1);
    expect(compileProcedureCall(overridden as unknown as AnyTRPCProcedure)).toBe(overridden);
  });
});

describe('output validation of frozen results', () => {
  const schema = z.object({ id: z.number(), tags: z.array(z.string()) });
  function counted() {
    let parses = 0;
    const parser = (value: unknown) => {
      parses += 1;
      return schema.parse(value);
    };
    return { parser, parses: () => parses };
  }
  // Compiled once per procedure, as the adapters do.
  const compiled = new WeakMap<AnyTRPCProcedure, ReturnType<typeof compileProcedureCall>>();
  const call = (procedure: AnyTRPCProcedure) => {
    if (!compiled.has(procedure)) compiled.set(procedure, compileProcedureCall(procedure));
    return compiled.get(procedure)!({ ctx: { trail: [] }, getRawInput: async () => undefined, path: 'x', type: 'query', signal: undefined, batchIndex: 0 });
  };

  it('validates a frozen result once and returns the same frozen output for it', async () => {
    const shared = deepFreeze({ id: 1, tags: ['a'], extra: 'stripped' });
    const { parser, parses } = counted();
    const procedure = t.procedure.output(parser).query(() => shared);
    const first = await call(procedure);
    const second = await call(procedure);
    expect(first).toEqual({ id: 1, tags: ['a'] });
    expect(second).toBe(first);
    expect(Object.isFrozen((first as { tags: string[] }).tags)).toBe(true);
    expect(parses()).toBe(1);
  });

  it('validates every unfrozen result, and a frozen invalid result every time', async () => {
    const { parser, parses } = counted();
    const fresh = t.procedure.output(parser).query(() => ({ id: 1, tags: [] }));
    await call(fresh);
    await call(fresh);
    expect(parses()).toBe(2);
    const broken = deepFreeze({ id: 'x', tags: [] });
    const invalid = t.procedure.output(schema).query(() => broken as unknown as { id: number; tags: string[] });
    for (let i = 0; i < 2; i += 1) await expect(call(invalid)).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Output validation failed' });
  });
});
