import { initTRPC } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RestProcedureMeta } from '../types.ts';
import { allowHeader, compileRoutes, matchPath } from './routes.ts';

const t = initTRPC.meta<RestProcedureMeta>().create();
const id = z.object({ id: z.string(), sub: z.string().optional() });
const router = t.router({
  byId: t.procedure.meta({ rest: { method: 'GET', path: '/items/{id}' } }).input(id).query(() => 'byId'),
  search: t.procedure.meta({ rest: { method: 'GET', path: '/items/search' } }).query(() => 'search'),
  searchSub: t.procedure.meta({ rest: { method: 'GET', path: '/items/{id}/parts/{sub}' } }).input(id).query(() => 'parts'),
  staticDeep: t.procedure.meta({ rest: { method: 'POST', path: '/items/search/saved' } }).mutation(() => 'saved'),
  remove: t.procedure.meta({ rest: { method: 'DELETE', path: '/items/{id}' } }).input(id).mutation(() => 'remove'),
  hidden: t.procedure.query(() => 'no meta'),
});
const table = compileRoutes(router);

function match(path: string) {
  const params: string[] = [];
  const routes = matchPath(table.root, path.split('/').slice(1), 0, params);
  return { routes: routes ? [...routes.values()].map((r) => r.procedurePath) : undefined, params };
}

describe('route table', () => {
  it('compiles only procedures with meta.rest', () => {
    expect(table.routes.map((r) => r.procedurePath).sort()).toEqual(['byId', 'remove', 'search', 'searchSub', 'staticDeep']);
  });

  it('prefers static segments over parameters', () => {
    expect(match('/items/search')).toEqual({ routes: ['search'], params: [] });
    expect(match('/items/other')).toEqual({ routes: ['byId', 'remove'], params: ['other'] });
  });

  it('backtracks to a parameter when the static branch has no match deeper down', () => {
    expect(match('/items/search/parts/x')).toEqual({ routes: ['searchSub'], params: ['search', 'x'] });
    expect(match('/items/search/saved')).toEqual({ routes: ['staticDeep'], params: [] });
  });

  it('does not match empty segments or unknown paths', () => {
    expect(match('/items/').routes).toBeUndefined();
    expect(match('/nothing').routes).toBeUndefined();
    expect(match('/items/a/parts').routes).toBeUndefined();
  });

  it('lists allowed methods in a fixed order', () => {
    const params: string[] = [];
    expect(allowHeader(matchPath(table.root, ['items', 'x'], 0, params)!)).toBe('GET, HEAD, DELETE, OPTIONS');
  });
});
