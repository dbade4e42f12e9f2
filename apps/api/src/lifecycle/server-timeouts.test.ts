import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyServerTimeouts, serverTimeoutsFromEnv } from './server-timeouts.ts';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('serverTimeoutsFromEnv', () => {
  it('reads the budgets, caps headers by the request budget and refuses nonsense', () => {
    expect(serverTimeoutsFromEnv({})).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000 });
    expect(serverTimeoutsFromEnv({ API_HEADERS_TIMEOUT_MS: '9000', API_REQUEST_TIMEOUT_MS: '2000' })).toMatchObject({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 2000,
    });
    expect(() => serverTimeoutsFromEnv({ API_REQUEST_TIMEOUT_MS: '-1' })).toThrow(/API_REQUEST_TIMEOUT_MS/);
  });
});

describe('applyServerTimeouts', () => {
  it('closes a slowloris connection (a header byte a second) while normal requests are served', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    servers.push(server);
    applyServerTimeouts(server, { headersTimeoutMs: 1500, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000, checkIntervalMs: 250 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write('X'), 200);
    try {
      const normal = await fetch(`http://127.0.0.1:${port}/`);
      expect(await normal.text()).toBe('ok');
      await closed;
    } finally {
      clearInterval(drip);
    }
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses to change a server that already listens', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(() => applyServerTimeouts(server, serverTimeoutsFromEnv({}))).toThrow(/before listen/);
  });
});
