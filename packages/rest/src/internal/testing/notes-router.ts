/**
 * A small router of its own for the adapter's tests: notes with an in-memory store.
 * It exercises every meta field and every error the adapter maps.
 */
import type { ServerResponse } from 'node:http';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { RestProcedureMeta } from '../../types.ts';

export interface TestUser {
  id: string;
  role: 'member' | 'admin';
}

export interface TestContext {
  user: TestUser | null;
  res: ServerResponse;
}

const t = initTRPC.context<TestContext>().meta<RestProcedureMeta>().create();

const authed = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { user: ctx.user } });
});

const admin = authed.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Administrators only.' });
  return next();
});

export const Note = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    priority: z.number().int(),
    archived: z.boolean(),
    ownerId: z.string(),
    createdAt: z.date(),
  })
  .meta({
    id: 'Note',
    description: 'A note.',
    examples: [
      {
        id: 'n1',
        title: 'Groceries',
        body: 'milk',
        tags: ['home'],
        priority: 1,
        archived: false,
        ownerId: 'u1',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  });
type NoteRecord = z.infer<typeof Note>;

const NoteId = z.string().min(1).max(200).describe('Note id');

export interface NotesStore {
  notes: Map<string, NoteRecord>;
  /** Hooks for the slow route: called when it starts waiting and when its signal aborts. */
  slow: { started?: () => void; aborted?: () => void };
  idempotency: Map<string, string>;
  locked: Set<string>;
  nextId: number;
}

export function createStore(): NotesStore {
  return { notes: new Map(), slow: {}, idempotency: new Map(), locked: new Set(), nextId: 1 };
}

export function createNotesRouter(store: NotesStore) {
  const insert = (ownerId: string, fields: { title: string; body: string; tags: string[]; priority: number }) => {
    const id = `n${store.nextId++}`;
    const note: NoteRecord = { id, ownerId, archived: false, createdAt: new Date(Date.UTC(2026, 0, store.nextId)), ...fields };
    store.notes.set(id, note);
    return note;
  };
  const find = (id: string) => {
    const note = store.notes.get(id);
    if (!note) throw new TRPCError({ code: 'NOT_FOUND', message: `No note "${id}".` });
    return note;
  };
  return t.router({
    notes: t.router({
      list: t.procedure
        .meta({
          access: 'public',
          rest: {
            method: 'GET',
            path: '/notes',
            summary: 'List notes',
            tags: ['notes'],
            cacheControl: 'public, max-age=30',
            pagination: { cursorParam: 'cursor', nextCursorField: 'nextCursor' },
          },
        })
        .input(
          z.object({
            cursor: z.string().max(50).optional().describe('Opaque cursor from the previous page'),
            limit: z.number().int().min(1).max(50).default(10),
            tag: z.array(z.string().max(50)).max(10).optional(),
            archived: z.boolean().optional(),
            priority: z.object({ min: z.number().int().optional(), max: z.number().int().optional() }).optional(),
            q: z.string().max(200).optional(),
          }),
        )
        .output(z.object({ items: z.array(Note), nextCursor: z.string().nullable() }))
        .query(({ input }) => {
          let items = [...store.notes.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
          if (input.tag) items = items.filter((n) => input.tag!.some((tag) => n.tags.includes(tag)));
          if (input.archived !== undefined) items = items.filter((n) => n.archived === input.archived);
          if (input.priority?.min !== undefined) items = items.filter((n) => n.priority >= input.priority!.min!);
          if (input.priority?.max !== undefined) items = items.filter((n) => n.priority <= input.priority!.max!);
          if (input.q !== undefined) items = items.filter((n) => n.title.includes(input.q!));
          const start = input.cursor ? items.findIndex((n) => n.id === input.cursor) : 0;
          const page = start < 0 ? [] : items.slice(start, start + input.limit);
          const next = start < 0 ? undefined : items[start + input.limit];
          return { items: page, nextCursor: next ? next.id : null };
        }),
      get: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/notes/{id}', summary: 'Get a note', tags: ['notes'] } })
        .input(z.object({ id: NoteId }))
        .output(Note)
        .query(({ input }) => find(input.id)),
      create: authed
        .meta({
          access: 'user',
          rest: {
            method: 'POST',
            path: '/notes',
            summary: 'Create a note',
            tags: ['notes'],
            successStatus: 201,
            location: '/notes/{id}',
            headers: { 'idempotency-key': 'idempotencyKey' },
          },
        })
        .input(
          z.object({
            title: z.string().min(1).max(200),
            body: z.string().max(10_000).default(''),
            tags: z.array(z.string().max(50)).max(10).default([]),
            priority: z.number().int().min(0).max(5).default(0),
            idempotencyKey: z.string().min(8).max(100).optional(),
          }),
        )
        .output(Note)
        .mutation(({ ctx, input }) => {
          const { idempotencyKey, ...fields } = input;
          const scoped = idempotencyKey ? `${ctx.user.id}:${idempotencyKey}` : undefined;
          const existing = scoped ? store.idempotency.get(scoped) : undefined;
          if (existing) return find(existing);
          const note = insert(ctx.user.id, fields);
          if (scoped) store.idempotency.set(scoped, note.id);
          return note;
        }),
      update: authed
        .meta({ access: 'user', rest: { method: 'PATCH', path: '/notes/{id}', summary: 'Update a note', tags: ['notes'] } })
        .input(
          z.object({
            id: NoteId,
            title: z.string().min(1).max(200).optional(),
            body: z.string().max(10_000).optional(),
            tags: z.array(z.string().max(50)).max(10).optional(),
            priority: z.number().int().min(0).max(5).optional(),
            archived: z.boolean().optional(),
          }),
        )
        .output(Note)
        .mutation(({ ctx, input }) => {
          const note = find(input.id);
          if (note.ownerId !== ctx.user.id && ctx.user.role !== 'admin') {
            throw new TRPCError({ code: 'FORBIDDEN', message: 'Not your note.' });
          }
          const { id: _id, ...changes } = input;
          const updated: NoteRecord = { ...note };
          for (const [key, value] of Object.entries(changes)) if (value !== undefined) Object.assign(updated, { [key]: value });
          store.notes.set(note.id, updated);
          return updated;
        }),
      replace: authed
        .meta({ access: 'user', rest: { method: 'PUT', path: '/notes/{id}', summary: 'Replace a note', tags: ['notes'] } })
        .input(z.object({ id: NoteId, title: z.string().min(1).max(200), body: z.string().max(10_000) }))
        .output(Note)
        .mutation(({ input }) => {
          const note = find(input.id);
          const updated = { ...note, title: input.title, body: input.body };
          store.notes.set(note.id, updated);
          return updated;
        }),
      delete: authed
        .meta({ access: 'user', rest: { method: 'DELETE', path: '/notes/{id}', summary: 'Delete a note', tags: ['notes'], successStatus: 204 } })
        .input(z.object({ id: NoteId }))
        .mutation(({ input }) => {
          find(input.id);
          store.notes.delete(input.id);
        }),
      lock: authed
        .meta({ access: 'user', rest: { method: 'POST', path: '/notes/{id}/lock', summary: 'Lock a note (once)', tags: ['notes'] } })
        .input(z.object({ id: NoteId }))
        .output(z.object({ id: z.string(), locked: z.literal(true) }))
        .mutation(({ input }) => {
          find(input.id);
          if (store.locked.has(input.id)) throw new TRPCError({ code: 'CONFLICT', message: 'The note is already locked.' });
          store.locked.add(input.id);
          return { id: input.id, locked: true as const };
        }),
      purge: admin
        .meta({
          access: 'admin',
          rest: { method: 'DELETE', path: '/notes', summary: 'Delete archived notes', tags: ['admin'] },
        })
        .input(z.object({ olderThanDays: z.number().int().min(0).default(0) }))
        .output(z.object({ purged: z.number().int() }))
        .mutation(() => {
          let purged = 0;
          for (const note of store.notes.values()) {
            if (note.archived) {
              store.notes.delete(note.id);
              purged++;
            }
          }
          return { purged };
        }),
      export: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/exports', summary: 'Export (always rate limited)', tags: ['notes'] } })
        .output(z.object({ url: z.string() }))
        .query(({ ctx }) => {
          ctx.res.setHeader('Retry-After', '17');
          ctx.res.setHeader('RateLimit', '"export";r=0;t=17');
          ctx.res.setHeader('RateLimit-Policy', '"export";q=1;w=60');
          throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Export limit reached.' });
        }),
    }),
    system: t.router({
      status: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/status', summary: 'Always in maintenance', deprecated: true } })
        .query(() => {
          throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'db-primary.internal is down' });
        }),
      crash: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/crash', summary: 'Throws a plain Error' } })
        .query(() => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:5432 SELECT * FROM secrets at /srv/app/db.ts:12');
        }),
      broken: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/broken', summary: 'Output fails its schema' } })
        .output(z.object({ ok: z.boolean() }))
        .query(() => ({ ok: 'yes' }) as unknown as { ok: boolean }),
      echo: t.procedure
        .meta({ access: 'public', rest: { method: 'POST', path: '/echo', summary: 'Echo text and data' } })
        .input(z.object({ text: z.string().max(10_000), data: z.record(z.string(), z.unknown()).optional() }))
        .output(z.object({ text: z.string(), data: z.record(z.string(), z.unknown()).optional() }))
        .mutation(({ input }) => input),
      count: t.procedure
        .meta({ access: 'public', rest: { method: 'POST', path: '/count', summary: 'Counts strings (array input)' } })
        .input(z.array(z.string()).max(1000))
        .output(z.object({ count: z.number().int() }))
        .mutation(({ input }) => ({ count: input.length })),
      square: t.procedure
        .meta({ access: 'public', rest: { method: 'GET', path: '/square/{n}', summary: 'Square an integer' } })
        .input(z.object({ n: z.number().int().min(-1000).max(1000), exact: z.boolean().default(true) }))
        .output(z.object({ n: z.number(), square: z.number() }))
        .query(({ input }) => ({ n: input.n, square: input.n * input.n })),
      slow: t.procedure
        // Resolves only through its signal: call it only with abortOnDisconnect.
        .meta({ access: 'public', rest: { method: 'GET', path: '/slow', summary: 'Waits until the client goes away' } })
        .query(
          ({ signal }) =>
            new Promise<string>((resolve) => {
              store.slow.started?.();
              signal?.addEventListener('abort', () => {
                store.slow.aborted?.();
                resolve('aborted');
              });
            }),
        ),
      internal: t.procedure.input(z.object({ x: z.string() })).query(({ input }) => input.x),
    }),
  });
}

export type NotesRouter = ReturnType<typeof createNotesRouter>;

/** Fake bearer tokens: the adapter's tests do not need a real auth system. */
export function userFromAuthorization(header: string | undefined): TestUser | null {
  if (header === undefined) return null;
  if (header === 'Bearer member-token') return { id: 'u1', role: 'member' };
  if (header === 'Bearer other-token') return { id: 'u2', role: 'member' };
  if (header === 'Bearer admin-token') return { id: 'admin', role: 'admin' };
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Unknown API key.' });
}
