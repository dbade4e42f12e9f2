/**
 * A tiny generic router used by this package's tests: notes in memory, plus operations that fail
 * on purpose. Not exported from the package.
 */
import type { ServerResponse } from 'node:http';
import { TRPCError, initTRPC } from '@trpc/server';
import { z } from 'zod';
import type { SoapProcedureMeta, SoapSecurity } from '../types.ts';

export interface NotesContext {
  res: ServerResponse | undefined;
  security: SoapSecurity | undefined;
}

const t = initTRPC.context<NotesContext>().meta<SoapProcedureMeta>().create();

export const noteSchema = z.object({
  id: z.string().regex(/^n[0-9]+$/),
  title: z.string().min(1).max(200),
  body: z.string(),
  status: z.enum(['draft', 'published']),
  priority: z.int().min(1).max(5),
  rating: z.number().min(0).max(5).nullable(),
  price: z.number().multipleOf(0.01).min(0),
  views: z.int(),
  pinned: z.boolean(),
  tags: z.array(z.string().max(30)).max(10),
  createdAt: z.iso.datetime(),
  author: z.object({ name: z.string(), email: z.email().optional() }),
  revisions: z.array(z.array(z.int())),
});
export type Note = z.infer<typeof noteSchema>;

/** A recursive schema (a folder tree): must become a named, self-referencing XSD type. */
export interface Folder {
  name: string;
  children: Folder[];
  parent?: Folder | null;
}
export const folderSchema: z.ZodType<Folder> = z.object({
  name: z.string(),
  get children() {
    return z.array(folderSchema);
  },
  get parent() {
    return folderSchema.nullable().optional();
  },
});

function folderTree(depth: number, name = 'root'): Folder {
  return { name, children: depth <= 0 ? [] : [folderTree(depth - 1, `${name}.a`), folderTree(depth - 1, `${name}.b`)] };
}

const createInput = z.object({
  title: z.string().min(1).max(200),
  body: z.string().default(''),
  status: z.enum(['draft', 'published']).default('draft'),
  priority: z.int().min(1).max(5),
  rating: z.number().min(0).max(5).nullable().optional(),
  price: z.number().multipleOf(0.01).min(0).default(0),
  pinned: z.boolean().default(false),
  tags: z.array(z.string().max(30)).max(10),
  author: z.object({ name: z.string().min(1), email: z.email().optional() }),
});

export function createNotesStore() {
  const notes = new Map<string, Note>();
  let seq = 0;
  return {
    notes,
    /** Hooks for the abort test: called when `Hold` starts and when its signal aborts. */
    onHoldStarted: (): void => {},
    onHoldAborted: (): void => {},
    add(input: z.output<typeof createInput>): Note {
      seq += 1;
      const id = `n${seq}`;
      // Keys deliberately NOT in schema order: the SOAP encoder must follow the schema.
      const note: Note = {
        revisions: [[1, 2], [3]],
        author: input.author,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
        tags: input.tags,
        pinned: input.pinned,
        views: seq * 10,
        price: input.price,
        rating: input.rating ?? null,
        priority: input.priority,
        status: input.status,
        body: input.body,
        title: input.title,
        id,
      };
      notes.set(id, note);
      return note;
    },
  };
}

export function createNotesRouter(store = createNotesStore()) {
  return t.router({
    notes: t.router({
      list: t.procedure
        .meta({ soap: { operation: 'ListNotes', summary: 'List notes with filters and a cursor.' }, access: 'public' })
        .input(
          z.object({
            status: z.enum(['draft', 'published']).optional(),
            tag: z.string().optional(),
            limit: z.int().min(1).max(50).default(10),
            cursor: z.string().optional(),
          }),
        )
        .output(z.object({ items: z.array(noteSchema), nextCursor: z.string().nullable() }))
        .query(({ input }) => {
          const all = [...store.notes.values()].filter(
            (n) => (input.status === undefined || n.status === input.status) && (input.tag === undefined || n.tags.includes(input.tag)),
          );
          const start = input.cursor === undefined ? 0 : all.findIndex((n) => n.id === input.cursor) + 1;
          const items = all.slice(start, start + input.limit);
          const last = items.at(-1);
          return { items, nextCursor: last !== undefined && start + input.limit < all.length ? last.id : null };
        }),
      get: t.procedure
        .meta({ soap: { operation: 'GetNote', summary: 'Get one note by id.' } })
        .input(z.object({ id: z.string() }))
        .output(noteSchema)
        .query(({ input }) => {
          const note = store.notes.get(input.id);
          if (!note) throw new TRPCError({ code: 'NOT_FOUND', message: `Note ${input.id} not found` });
          return note;
        }),
      create: t.procedure
        .meta({ soap: { operation: 'CreateNote', summary: 'Create a note.' }, access: 'user' })
        .input(createInput)
        .output(noteSchema)
        .mutation(({ input }) => store.add(input)),
      // Not exposed over SOAP (no meta.soap).
      hidden: t.procedure.query(() => 'hidden'),
    }),
    echo: t.procedure
      .meta({ soap: { operation: 'Echo' } })
      .input(z.object({ text: z.string(), count: z.int().min(0).max(3).optional(), flag: z.boolean().optional() }))
      .output(z.object({ text: z.string(), count: z.int().nullable(), flag: z.boolean().nullable() }))
      .mutation(({ input }) => ({ text: input.text, count: input.count ?? null, flag: input.flag ?? null })),
    fromCodes: t.procedure
      .meta({ soap: { operation: 'FromCodes' } })
      .input(z.object({ codes: z.array(z.int().min(0).max(0xffff)).max(64) }))
      .output(z.object({ text: z.string() }))
      .query(({ input }) => ({ text: String.fromCharCode(...input.codes) })),
    tree: t.procedure
      .meta({ soap: { operation: 'GetTree' } })
      .input(z.object({ depth: z.int().min(0).max(4) }))
      .output(z.object({ root: folderSchema, total: z.int() }))
      .query(({ input }) => ({ root: folderTree(input.depth), total: 2 ** (input.depth + 1) - 1 })),
    // A middleware guards this one: proves middlewares run on the SOAP path.
    secret: t.procedure
      .use(({ ctx, next }) => {
        if (ctx.security?.kind !== 'apiKey' || ctx.security.key !== 'k1') {
          throw new TRPCError({ code: 'UNAUTHORIZED', message: 'API key required' });
        }
        return next({ ctx: { ...ctx, keyOwner: 'owner-1' } });
      })
      .meta({ soap: { operation: 'GetSecret' }, access: 'user' })
      .output(z.object({ owner: z.string() }))
      .query(({ ctx }) => ({ owner: ctx.keyOwner })),
    // Waits until the client goes away: proves the abort signal reaches procedures.
    hold: t.procedure
      .meta({ soap: { operation: 'Hold' } })
      .output(z.object({ ok: z.boolean() }))
      .query(
        ({ signal }) =>
          new Promise<{ ok: boolean }>((resolve) => {
            signal?.addEventListener('abort', () => {
              store.onHoldAborted();
              resolve({ ok: false });
            });
            store.onHoldStarted();
          }),
      ),
    ping: t.procedure
      .meta({ soap: { operation: 'Ping' } })
      .output(z.object({ ok: z.boolean() }))
      .query(() => ({ ok: true })),
    whoAmI: t.procedure
      .meta({ soap: { operation: 'WhoAmI' } })
      .output(
        z.object({
          kind: z.enum(['none', 'usernameToken', 'apiKey']),
          principal: z.string().nullable(),
          passwordType: z.enum(['text', 'digest']).nullable(),
        }),
      )
      .query(({ ctx }) => {
        const s = ctx.security;
        if (s === undefined) return { kind: 'none' as const, principal: null, passwordType: null };
        if (s.kind === 'apiKey') return { kind: 'apiKey' as const, principal: s.key, passwordType: null };
        return { kind: 'usernameToken' as const, principal: s.username, passwordType: s.passwordType };
      }),
    fail: t.procedure
      .meta({ soap: { operation: 'Fail' } })
      .input(z.object({ kind: z.enum(['notFound', 'forbidden', 'unauthorized', 'conflict', 'rateLimited', 'unavailable', 'crash']) }))
      .output(z.object({ ok: z.boolean() }))
      .mutation(({ input, ctx }) => {
        switch (input.kind) {
          case 'notFound':
            throw new TRPCError({ code: 'NOT_FOUND', message: 'No such note' });
          case 'forbidden':
            throw new TRPCError({ code: 'FORBIDDEN', message: 'Not yours' });
          case 'unauthorized':
            throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
          case 'conflict':
            throw new TRPCError({ code: 'CONFLICT', message: 'Already exists' });
          case 'rateLimited':
            ctx.res?.setHeader('retry-after', '7');
            throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Slow down' });
          case 'unavailable':
            throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Try later' });
          case 'crash':
            throw new Error('connect ECONNREFUSED at /srv/app/db.ts:42 password=hunter2');
        }
      }),
    // An output that breaks its own schema: must become a generic Receiver fault.
    broken: t.procedure
      .meta({ soap: { operation: 'Broken' } })
      .output(z.object({ n: z.int() }))
      .query(() => ({ n: 'not a number' }) as unknown as { n: number }),
  });
}

export type NotesRouter = ReturnType<typeof createNotesRouter>;
