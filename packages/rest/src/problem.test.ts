import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemFromError, RestRequestError, sendProblem, toJsonPointer } from './problem.ts';

describe('problemFromError', () => {
  it('maps every tRPC code to its status and type', () => {
    const cases: [TRPCError['code'], number, string][] = [
      ['BAD_REQUEST', 400, 'bad-request'],
      ['UNAUTHORIZED', 401, 'unauthenticated'],
      ['FORBIDDEN', 403, 'forbidden'],
      ['NOT_FOUND', 404, 'not-found'],
      ['CONFLICT', 409, 'conflict'],
      ['PAYLOAD_TOO_LARGE', 413, 'payload-too-large'],
      ['UNPROCESSABLE_CONTENT', 422, 'validation'],
      ['TOO_MANY_REQUESTS', 429, 'rate-limited'],
      ['INTERNAL_SERVER_ERROR', 500, 'internal'],
      ['SERVICE_UNAVAILABLE', 503, 'unavailable'],
      ['GATEWAY_TIMEOUT', 504, 'gateway-timeout'],
    ];
    for (const [code, status, slug] of cases) {
      const problem = problemFromError(new TRPCError({ code, message: 'msg' }), { typeBase: 'urn:p:' });
      expect(problem.status, code).toBe(status);
      expect(problem.type, code).toBe(`urn:p:${slug}`);
    }
  });

  it('turns zod issues into a 422 with pointers', () => {
    const result = z.object({ a: z.array(z.object({ 'b/c': z.string() })) }).safeParse({ a: [{ 'b/c': 1 }] });
    const problem = problemFromError(new TRPCError({ code: 'BAD_REQUEST', cause: result.error }));
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([{ pointer: '/a/0/b~1c', message: expect.any(String), code: 'invalid_type' }]);
  });

  it('never shows internals: plain errors, 5xx messages, messages inherited from a cause', () => {
    const plain = problemFromError(new Error('password=hunter2 at /srv/x.ts'));
    expect(JSON.stringify(plain)).not.toContain('hunter2');
    const unavailable = problemFromError(new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'redis at 10.1.1.1 down' }));
    expect(JSON.stringify(unavailable)).not.toContain('10.1.1.1');
    const wrapped = problemFromError(new TRPCError({ code: 'CONFLICT', cause: new Error('duplicate key value violates unique constraint "users_email_key"') }));
    expect(wrapped.detail).toBe('Conflict');
    expect(problemFromError('a string').status).toBe(500);
  });

  it('keeps the adapter status of a RestRequestError', () => {
    expect(problemFromError(new RestRequestError(406, 'no')).status).toBe(406);
  });

  it('escapes JSON pointer tokens', () => {
    expect(toJsonPointer(['a~b', 'c/d', 0])).toBe('/a~0b/c~1d/0');
  });
});

describe('sendProblem (as a gateway uses it, before any procedure)', () => {
  it('renders a rate-limit rejection keeping the limiter headers', async () => {
    const server = createServer((req, res) => {
      res.setHeader('Retry-After', '5');
      res.setHeader('RateLimit', '"default";r=0;t=5');
      sendProblem(req, res, new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Slow down.' }), { requestId: 'gw-1' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/anything?x=1`);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('ratelimit')).toBe('"default";r=0;t=5');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toEqual({
        type: 'https://triport.dev/problems/rate-limited',
        title: 'Too many requests',
        status: 429,
        detail: 'Slow down.',
        instance: '/anything',
        requestId: 'gw-1',
      });
    } finally {
      server.close();
    }
  });
});
