import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGracefulShutdown } from './graceful-shutdown.ts';

/** GET over a fresh connection; resolves with status + body, or rejects with the socket error code. */
function get(port: number, path: string, agent = false): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: agent ? undefined : false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A server whose /slow requests wait until `release()` is called. */
function slowServer() {
  const waiting: Array<() => void> = [];
  let arrived: () => void = () => {};
  const firstArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      waiting.push(() => res.end('slow done'));
      arrived();
      return;
    }
    res.end('fast');
  });
  return {
    server,
    firstArrived,
    finishSlow: () => {
      for (const finish of waiting.splice(0)) finish();
    },
  };
}

describe('createGracefulShutdown', () => {
  it('refuses new connections, finishes the in-flight request, then releases resources', async () => {
    const { server, firstArrived, finishSlow } = slowServer();
    const events: string[] = [];
    const shutdown = createGracefulShutdown(server, {
      release: async () => {
        events.push('released');
      },
      timeoutMs: 20_000,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const slow = get(port, '/slow');
    await firstArrived;
    const done = shutdown();
    expect(shutdown()).toBe(done);
    await expect(get(port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(events).toEqual([]);
    finishSlow();
    const reply = await slow;
    expect(reply).toMatchObject({ status: 200, body: 'slow done', connection: 'close' });
    const result = await done;
    expect(result).toMatchObject({ drained: true, cut: 0 });
    expect(events).toEqual(['released']);
  });

  it('cuts requests that outlive the budget and says so', async () => {
    const { server, firstArrived } = slowServer();
    let released = false;
    const shutdown = createGracefulShutdown(server, {
      release: async () => {
        released = true;
      },
      timeoutMs: 200,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const slow = get(port, '/slow').then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    await firstArrived;
    const result = await shutdown();
    expect(result).toMatchObject({ drained: false, cut: 1 });
    expect(await slow).toBe('ECONNRESET');
    expect(released).toBe(true);
  });
});
