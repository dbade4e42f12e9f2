import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProcedureMeta } from '../meta.ts';
import { appRouter } from '../router.ts';

interface ProcedureDef {
  meta?: ProcedureMeta;
  inputs: unknown[];
  output?: unknown;
  type: string;
}

const owned = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).filter(
  ([path]) => /^(account|orders|admin)\./.test(path) && !path.startsWith('account.apiKeys'),
);

describe('meta and schemas of the account, orders and admin procedures', () => {
  it('finds them', () => {
    expect(owned.map(([p]) => p).sort()).toEqual([
      'account.profile',
      'account.updateProfile',
      'account.userProfile',
      'admin.products.create',
      'admin.products.delete',
      'admin.products.update',
      'orders.cancel',
      'orders.create',
      'orders.get',
      'orders.list',
    ]);
  });

  it.each(owned)('%s has REST and SOAP meta, access, cost and JSON-schema-able input and output', (path, { _def }) => {
    const meta = _def.meta;
    expect(meta?.rest?.path).toMatch(/^\//);
    expect(meta?.soap?.operation).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(meta?.access).toBe(path.startsWith('admin.') || path === 'account.userProfile' ? 'admin' : 'user');
    expect(meta?.cost).toBeGreaterThanOrEqual(1);
    // Reads are GETs; writes are not (REST semantics follow the tRPC procedure type).
    expect(meta?.rest?.method === 'GET').toBe(_def.type === 'query');
    // The adapters generate OpenAPI and XSD from these: every schema must convert without fallbacks.
    expect(_def.inputs).toHaveLength(1);
    expect(() => z.toJSONSchema(_def.inputs[0] as z.ZodType, { io: 'input' })).not.toThrow();
    expect(_def.output).toBeDefined();
    expect(() => z.toJSONSchema(_def.output as z.ZodType, { io: 'output' })).not.toThrow();
    // Path parameters name input fields.
    const params = [...(meta?.rest?.path ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const shape = JSON.stringify(z.toJSONSchema(_def.inputs[0] as z.ZodType, { io: 'input' }));
    for (const p of params) expect(shape).toContain(`"${p}"`);
  });

  it('never lets an output carry a password hash', () => {
    for (const [, { _def }] of owned) {
      expect(JSON.stringify(z.toJSONSchema(_def.output as z.ZodType, { io: 'output' }))).not.toMatch(/password/i);
    }
  });
});
