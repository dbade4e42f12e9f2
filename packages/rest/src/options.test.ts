import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC, lazy } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRestHandler } from './handler.ts';
import type { RestHandlerOptions, RestProcedureMeta } from './types.ts';
import { createNotesRouter, createStore } from './internal/testing/notes-router.ts';

/** A bare server without the test gateway's headers, to see the adapter's defaults. */
async function withServer(options: Partial<RestHandlerOptions>, run: (url: string) => Promise<void>) {
  const handler = createRestHandler({
    router: createNotesRouter(createStore()),
    createContext: ({ res }) => ({ user: null, res }),
    ...options,
  });
  const server = createServer((req, res) => {
    handler(req, res).then((handled) => {
      if (!handled) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('handler options', () => {
  it('custom basePath, openapiPath and docsPath; paths outside are not handled', async () => {
    await withServer({ basePath: '/api/', openapiPath: '/api.json', docsPath: '/help' }, async (url) => {
      expect((await fetch(`${url}/api/notes`)).status).toBe(200);
      expect((await fetch(`${url}/rest/v1/notes`)).status).toBe(418);
      const doc = (await (await fetch(`${url}/api.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toContain('/api/notes/{id}');
      expect((await fetch(`${url}/help`)).status).toBe(200);
      expect((await fetch(`${url}/rest/docs`)).status).toBe(418);
    });
  });

  it('a basePath that contains the document and docs paths does not shadow them', async () => {
    await withServer({ basePath: '/rest' }, async (url) => {
      expect((await fetch(`${url}/rest/openapi.json`)).headers.get('content-type')).toBe('application/json');
      expect((await fetch(`${url}/rest/docs`)).headers.get('content-type')).toContain('text/html');
      expect((await fetch(`${url}/rest/notes`)).status).toBe(200);
      expect((await fetch(`${url}/rest/docsx`)).status).toBe(404);
    });
  });

  it('docsPath false turns the docs page off', async () => {
    await withServer({ docsPath: false }, async (url) => {
      expect((await fetch(`${url}/rest/docs`)).status).toBe(418);
    });
  });

  it('makes and sets a request id when the gateway did not, and honours getRequestId', async () => {
    await withServer({}, async (url) => {
      const res = await fetch(`${url}/rest/v1/notes/x`);
      const body = (await res.json()) as { requestId: string };
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-request-id')).toBe(body.requestId);
    });
    await withServer({ getRequestId: (req) => `custom-${req.method}` }, async (url) => {
      const body = (await (await fetch(`${url}/rest/v1/notes/x`)).json()) as { requestId: string };
      expect(body.requestId).toBe('custom-GET');
    });
  });

  it('problemTypeBase, realm and defaultRetryAfterSeconds', async () => {
    await withServer({ problemTypeBase: 'https://errors.example/', realm: 'notes "api"', defaultRetryAfterSeconds: 120 }, async (url) => {
      const unauthorized = await fetch(`${url}/rest/v1/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' });
      expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer realm="notes api"');
      expect(((await unauthorized.json()) as { type: string }).type).toBe('https://errors.example/unauthenticated');
      const unavailable = await fetch(`${url}/rest/v1/status`);
      expect(unavailable.headers.get('retry-after')).toBe('120');
    });
  });

  it('cors credentials and no CORS at all when no origins are configured', async () => {
    await withServer({ cors: { origins: ['https://a.example'], credentials: true } }, async (url) => {
      const res = await fetch(`${url}/rest/v1/notes`, { headers: { origin: 'https://a.example' } });
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    });
    await withServer({}, async (url) => {
      const res = await fetch(`${url}/rest/v1/notes`, { headers: { origin: 'https://a.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')).toBeNull();
    });
  });

  it('an onError hook that throws does not break the response', async () => {
    await withServer(
      {
        onError: () => {
          throw new Error('logger down');
        },
      },
      async (url) => {
        expect((await fetch(`${url}/rest/v1/notes/missing`)).status).toBe(404);
      },
    );
  });

  it('a failing createContext becomes a problem (500 without details)', async () => {
    await withServer(
      {
        createContext: () => {
          throw new Error('context blew up: /etc/secret');
        },
      },
      async (url) => {
        const res = await fetch(`${url}/rest/v1/notes`);
        expect(res.status).toBe(500);
        expect(await res.text()).not.toContain('secret');
      },
    );
  });

  it('refuses lazy routers at startup with a clear message', () => {
    const t = initTRPC.meta<RestProcedureMeta>().create();
    const child = t.router({ a: t.procedure.meta({ rest: { method: 'GET', path: '/a' } }).input(z.object({})).query(() => 1) });
    const router = t.router({ child: lazy(async () => child) });
    expect(() => createRestHandler({ router, createContext: () => ({}) })).toThrow(/lazy routers/);
  });
});
