import { describe, expect, it } from 'vitest';
import { ownerOf, summarizeProfile } from './profile.ts';

describe('ownerOf', () => {
  it('names our workspaces, scoped and plain dependencies, node and V8 frames', () => {
    expect(ownerOf('file:///work/main/apps/api/src/gateway/context.ts', 'buildContext')).toBe('ours: apps/api/gateway');
    expect(ownerOf('file:///work/main/packages/soap/src/internal/codec.ts', 'decode')).toBe('ours: packages/soap');
    expect(ownerOf('file:///work/main/node_modules/@trpc/server/dist/a.mjs', 'x')).toBe('@trpc/server');
    expect(ownerOf('file:///work/main/node_modules/pino/lib/x.js', 'x')).toBe('pino');
    expect(ownerOf('node:internal/http', 'x')).toBe('node internals');
    expect(ownerOf('', '(garbage collector)')).toBe('v8 (garbage collector)');
  });
});

describe('summarizeProfile', () => {
  it('adds self time per sample and ranks owners and functions', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 5] },
        { id: 2, callFrame: frame('handle', 'file:///r/node_modules/@trpc/server/dist/a.mjs'), children: [4] },
        { id: 3, callFrame: frame('route', 'file:///r/packages/rest/src/handler.ts'), children: [] },
        { id: 4, callFrame: frame('createAbortSignal', 'node:internal/abort_controller'), children: [] },
        { id: 5, callFrame: frame('(idle)', ''), children: [] },
      ],
      samples: [2, 2, 3, 2, 5, 4],
      timeDeltas: [100, 100, 200, 100, 1000, 500],
    });
    expect(summary.totalUs).toBe(2000);
    expect(summary.busyUs).toBe(1000);
    // Node internals called by tRPC are tRPC's cost.
    expect(summary.attributed).toEqual([
      { owner: '@trpc/server', us: 800, share: 0.8 },
      { owner: 'ours: packages/rest', us: 200, share: 0.2 },
    ]);
    expect(summary.owners).toEqual([
      { owner: 'node internals', us: 500, share: 0.5 },
      { owner: '@trpc/server', us: 300, share: 0.3 },
      { owner: 'ours: packages/rest', us: 200, share: 0.2 },
    ]);
    expect(summary.functions.find((f) => f.name === 'handle')).toMatchObject({ us: 300, where: 'node_modules/@trpc/server/dist/a.mjs:1' });
  });
});
