import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTRPC } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRestHandler } from './handler.ts';
import { createOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import type { RestProcedureMeta } from './types.ts';
import { portablePattern } from './internal/json-schema.ts';
import { createNotesRouter, createStore } from './internal/testing/notes-router.ts';

const doc = createOpenApiDocument(createNotesRouter(createStore()), {
  title: 'Notes API',
  version: '1.2.3',
  description: 'Test',
  servers: [{ url: 'https://api.example' }],
});
type Op = Record<string, unknown> & {
  parameters?: Record<string, unknown>[];
  responses: Record<string, Record<string, unknown>>;
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  security?: unknown[];
};
const op = (path: string, method: string) => doc.paths[`/rest/v1${path}`]?.[method] as Op;

function validate(document: OpenApiDocument): string {
  const dir = mkdtempSync(join(tmpdir(), 'rest-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    return execFileSync('python3', ['-m', 'openapi_spec_validator', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('createOpenApiDocument', () => {
  it('is a valid OpenAPI 3.1 document (openapi-spec-validator)', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(validate(doc)).toContain('OK');
  });

  it('rejects an invalid document in the same validator (the check can fail)', () => {
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, Op>> };
    delete (broken.paths['/rest/v1/notes/{id}']!.get as Partial<Op>).responses;
    broken.paths['/rest/v1/notes/{id}']!.get!.parameters = [];
    expect(() => validate(broken as unknown as OpenApiDocument)).toThrow();
  });

  it('lists exactly the procedures with meta.rest, with their method and path', () => {
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'GET /rest/v1/notes',
        'POST /rest/v1/notes',
        'DELETE /rest/v1/notes',
        'GET /rest/v1/notes/{id}',
        'PATCH /rest/v1/notes/{id}',
        'PUT /rest/v1/notes/{id}',
        'DELETE /rest/v1/notes/{id}',
        'POST /rest/v1/notes/{id}/lock',
        'GET /rest/v1/exports',
        'GET /rest/v1/status',
        'GET /rest/v1/crash',
        'GET /rest/v1/broken',
        'POST /rest/v1/echo',
        'POST /rest/v1/count',
        'GET /rest/v1/square/{n}',
        'GET /rest/v1/slow',
      ].sort(),
    );
    expect(JSON.stringify(doc)).not.toContain('system.internal');
  });

  it('documents query parameters with one style: form/explode arrays, deepObject objects', () => {
    const params = Object.fromEntries(op('/notes', 'get').parameters!.filter((p) => p.name).map((p) => [p.name, p]));
    expect(Object.keys(params)).toEqual(['cursor', 'limit', 'tag', 'archived', 'priority', 'q']);
    expect(params.limit).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', default: 10, minimum: 1, maximum: 50 } });
    expect(params.tag).toMatchObject({ style: 'form', explode: true, schema: { type: 'array' } });
    expect(params.priority).toMatchObject({ style: 'deepObject', explode: true, schema: { type: 'object' } });
    expect(params.cursor).toMatchObject({ description: 'Opaque cursor from the previous page' });
    expect(op('/notes', 'get').parameters).toContainEqual({ $ref: '#/components/parameters/IfNoneMatch' });
  });

  it('documents path and header parameters and a body without them', () => {
    const get = op('/notes/{id}', 'get');
    expect(get.parameters![0]).toMatchObject({ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } });
    const create = op('/notes', 'post');
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false })]);
    expect(create.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object' } } } });
    const bodyOf = (o: Op) => o.requestBody!.content['application/json']!.schema as unknown as Record<string, unknown>;
    const body = bodyOf(create);
    expect(Object.keys(body.properties as object)).toEqual(['title', 'body', 'tags', 'priority']);
    expect(body.required).toEqual(['title']);
    const patchBody = bodyOf(op('/notes/{id}', 'patch'));
    expect(Object.keys(patchBody.properties as object)).not.toContain('id');
    expect(op('/count', 'post').requestBody).toMatchObject({ required: true });
    expect(bodyOf(op('/count', 'post'))).toMatchObject({ type: 'array' });
  });

  it('uses io:input for inputs and io:output for outputs, and hoists named schemas', () => {
    expect(doc.components.schemas.Note).toMatchObject({ type: 'object', description: 'A note.' });
    expect((doc.components.schemas.Note!.properties as Record<string, unknown>).createdAt).toEqual({ type: 'string', format: 'date-time' });
    expect(op('/notes/{id}', 'get').responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' }, example: expect.objectContaining({ id: 'n1' }) } },
    });
    const list = doc.components.schemas.NotesListOutput!;
    expect(list).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/Note' } }, nextCursor: { type: ['string', 'null'] } } });
    // input side: defaulted fields are optional; output side: they are required
    expect((op('/notes', 'post').requestBody!.content['application/json']!.schema as unknown as { required: string[] }).required).toEqual(['title']);
    expect(doc.components.schemas.Note!.required).toContain('body');
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });

  it('documents success statuses, headers, 304 and the applicable problem responses', () => {
    const create = op('/notes', 'post');
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403', '406', '409', '413', '415', '422', '429', '500', '503']);
    expect(create.responses['201']!.headers).toHaveProperty('Location');
    const del = op('/notes/{id}', 'delete');
    expect(del.responses['204']).not.toHaveProperty('content');
    expect(del.responses).toHaveProperty('404');
    const list = op('/notes', 'get');
    expect(Object.keys(list.responses)).toEqual(['200', '304', '400', '401', '406', '422', '429', '500', '503']);
    expect(list.responses['200']!.headers).toMatchObject({ ETag: {}, Link: {}, RateLimit: {}, 'RateLimit-Policy': {}, 'Cache-Control': {} });
    // Statuses a procedure produces itself are declared from meta.
    const t = initTRPC.meta<RestProcedureMeta>().create();
    const extra = createOpenApiDocument(
      t.router({
        place: t.procedure
          .meta({ rest: { method: 'POST', path: '/things', errorStatuses: [404, 409] }, access: 'public' })
          .input(z.object({ ref: z.string() }))
          .mutation(({ input }) => input),
      }),
      { title: 't', version: '1' },
    );
    const place = (extra.paths['/rest/v1/things'] as Record<string, Op>).post!;
    expect(Object.keys(place.responses)).toContain('404');
    const tooMany = doc.components.responses.TooManyRequests as { headers: Record<string, unknown>; content: Record<string, { example: { status: number } }> };
    expect(Object.keys(tooMany.headers)).toEqual(['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy']);
    expect(tooMany.content['application/problem+json']!.example.status).toBe(429);
    expect((doc.components.responses.Unauthorized as { headers: object }).headers).toHaveProperty('WWW-Authenticate');
    expect((doc.components.responses.ServiceUnavailable as { headers: object }).headers).toHaveProperty('Retry-After');
    expect(doc.components.schemas.Problem!.required).toEqual(['type', 'title', 'status']);
  });

  it('derives security from meta.access and declares bearer + cookie schemes', () => {
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookieAuth: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'session' }),
    });
    expect(op('/notes', 'get').security).toEqual([]);
    expect(op('/notes', 'post').security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(op('/notes', 'delete')).toMatchObject({ 'x-access': 'admin', description: expect.stringContaining('admin') });
  });

  it('carries info, servers, tags, summaries and deprecated', () => {
    expect(doc.info).toEqual({ title: 'Notes API', version: '1.2.3', description: 'Test' });
    expect(doc.servers).toEqual([{ url: 'https://api.example' }]);
    expect(doc.tags).toEqual([{ name: 'admin' }, { name: 'notes' }]);
    expect(op('/status', 'get').deprecated).toBe(true);
    expect(op('/notes', 'get')).toMatchObject({ operationId: 'notes.list', summary: 'List notes', tags: ['notes'] });
  });

  it('is deterministic', () => {
    const again = createOpenApiDocument(createNotesRouter(createStore()), {
      title: 'Notes API',
      version: '1.2.3',
      description: 'Test',
      servers: [{ url: 'https://api.example' }],
    });
    expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
  });
});

describe('route table checks at startup', () => {
  const t = initTRPC.meta<RestProcedureMeta>().create();
  const make = (router: ReturnType<typeof t.router>) => () => createRestHandler({ router, createContext: () => ({}) });

  it('throws on a duplicate method + path', () => {
    const router = t.router({
      a: t.procedure.meta({ rest: { method: 'GET', path: '/x' } }).query(() => 1),
      b: t.procedure.meta({ rest: { method: 'GET', path: '/x' } }).query(() => 2),
    });
    expect(make(router)).toThrow(/already bound to "a"/);
  });

  it('throws when a path parameter is not an input field', () => {
    const router = t.router({ a: t.procedure.meta({ rest: { method: 'GET', path: '/x/{id}' } }).input(z.object({ key: z.string() })).query(() => 1) });
    expect(make(router)).toThrow(/"id"/);
  });

  it('throws for a GET whose input is not an object', () => {
    const router = t.router({ a: t.procedure.meta({ rest: { method: 'GET', path: '/x' } }).input(z.string()).query(() => 1) });
    expect(make(router)).toThrow(/object input/);
  });

  it('merges several object inputs into one set of query parameters', () => {
    const router = t.router({
      a: t.procedure
        .meta({ rest: { method: 'GET', path: '/x' } })
        .input(z.object({ a: z.string() }))
        .input(z.object({ b: z.number() }))
        .query(() => 1),
    });
    const document = createOpenApiDocument(router, { title: 't', version: '1' });
    const names = (document.paths['/rest/v1/x']!.get!.parameters as { name?: string }[]).map((p) => p.name).filter(Boolean);
    expect(names).toEqual(['a', 'b']);
  });

  it('turns unrepresentable schemas into {} instead of throwing', () => {
    const router = t.router({
      a: t.procedure
        .meta({ rest: { method: 'POST', path: '/x' } })
        .input(z.object({ at: z.coerce.date(), raw: z.date().optional(), n: z.bigint().optional() }))
        .output(z.object({ s: z.string().transform((v) => v.length) }))
        .mutation(() => ({ s: 'x' })),
    });
    const document = createOpenApiDocument(router, { title: 't', version: '1' });
    expect(document.paths['/rest/v1/x']!.post!.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { at: { type: 'string', format: 'date-time' }, raw: {}, n: {} } } } } });
    expect(validate(document)).toContain('OK');
  });

  it('keeps regex patterns portable: \\p{Cc} becomes ranges, other property escapes move to x-pattern', () => {
    expect(portablePattern('^\\P{Cc}*$')).toBe('^[^\\x00-\\x1F\\x7F-\\x9F]*$');
    expect(portablePattern('^[a\\p{Cc}]$')).toBe('^[a\\x00-\\x1F\\x7F-\\x9F]$');
    expect(portablePattern('^[\\p{L}\\p{N}]+$')).toBeUndefined();
    expect(portablePattern('^\\\\p{x}$')).toBe('^\\\\p{x}$');
    const router = t.router({
      a: t.procedure
        .meta({ rest: { method: 'POST', path: '/x' } })
        .input(z.object({ text: z.string().regex(/^\P{Cc}*$/u), word: z.string().regex(/^[\p{L}\p{N}]+$/u).regex(/^\P{Cc}+$/u) }))
        .mutation(() => 1),
    });
    const document = createOpenApiDocument(router, { title: 't', version: '1' });
    const body = (document.paths['/rest/v1/x']!.post!.requestBody as { content: Record<string, { schema: { properties: Record<string, Record<string, unknown>> } }> }).content['application/json']!.schema;
    expect(body.properties.text!.pattern).toBe('^[^\\x00-\\x1F\\x7F-\\x9F]*$');
    expect(JSON.stringify(body.properties.word)).toContain('"x-pattern":"^[\\\\p{L}\\\\p{N}]+$"');
    expect(new RegExp(body.properties.text!.pattern as string).test('tab\there')).toBe(false);
    expect(validate(document)).toContain('OK');
  });
});
