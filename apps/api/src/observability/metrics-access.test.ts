import type { IncomingMessage } from 'node:http';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from '../internal/testing/harness.ts';
import { request } from '../internal/testing/http.ts';
import { metricsAccess } from './metrics-access.ts';

/** The two inputs metricsAccess reads: a peer address and headers (a remote peer cannot be dialled from a test). */
function from(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('metricsAccess', () => {
  it('without a token: direct loopback clients only', () => {
    expect(metricsAccess(from('127.0.0.1'), undefined)).toBe('ok');
    expect(metricsAccess(from('::1'), undefined)).toBe('ok');
    expect(metricsAccess(from('::ffff:127.0.0.1'), undefined)).toBe('ok');
    expect(metricsAccess(from('203.0.113.9'), undefined)).toBe(403);
    expect(metricsAccess(from('::ffff:10.0.0.2'), undefined)).toBe(403);
    // A proxy on this host forwarding someone else's request is not "this host".
    expect(metricsAccess(from('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe(403);
  });

  it('with a token: the bearer token from anywhere, nothing else (loopback included)', () => {
    const token = 'a-metrics-token-0123456789';
    expect(metricsAccess(from('203.0.113.9', { authorization: `Bearer ${token}` }), token)).toBe('ok');
    expect(metricsAccess(from('127.0.0.1'), token)).toBe(401);
    expect(metricsAccess(from('127.0.0.1', { authorization: `Bearer ${token}x` }), token)).toBe(401);
    expect(metricsAccess(from('127.0.0.1', { authorization: token }), token)).toBe(401);
    expect(metricsAccess(from('127.0.0.1', { authorization: 'Bearer ' }), token)).toBe(401);
  });
});

describe('/metrics on the real server', () => {
  let db: TestDb;
  let open: TestInstance;
  let guarded: TestInstance;
  const token = 'scraper-token-0123456789abcdef';
  beforeAll(async () => {
    db = await createTestPostgres();
    open = await startInstance(db);
    guarded = await startInstance(db, { METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await db?.dispose();
  });

  it('serves Prometheus text to a direct local client and refuses a forwarded one with a typed error', async () => {
    const direct = await request(`${open.url}/metrics`);
    expect(direct.status).toBe(200);
    expect(direct.body).toContain('triport_requests_total');
    const forwarded = await request(`${open.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    expect(forwarded.status).toBe(403);
    expect(forwarded.json()).toMatchObject({ error: { code: 'FORBIDDEN', requestId: forwarded.headers.get('x-request-id') } });
  });

  it('asks for the token when METRICS_TOKEN is set', async () => {
    const missing = await request(`${guarded.url}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(missing.body).not.toContain('triport_requests_total');
    const ok = await request(`${guarded.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('triport_requests_total');
  });

  it('refuses a METRICS_TOKEN too short to be a secret', async () => {
    await expect(startInstance(db, { METRICS_TOKEN: 'short' })).rejects.toThrow(/METRICS_TOKEN/);
  });
});
