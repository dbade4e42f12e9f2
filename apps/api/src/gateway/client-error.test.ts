import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { installLingeringClose } from '../lifecycle/lingering-close.ts';
import { installClientErrorReplies } from './client-error.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function serve(refused: string[] = []): Promise<number> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  server.headersTimeout = 500;
  server.requestTimeout = 500;
  (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = 100;
  installLingeringClose(server);
  installClientErrorReplies(server, (error, requestId) => refused.push(`${error.code}:${requestId}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Writes raw bytes and collects everything until the server closes. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.on('close', () => resolve(reply));
    socket.write(bytes);
  });
}

function parse(reply: string) {
  const [head = '', body = ''] = reply.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const requestId = /\r\nX-Request-Id: ([\w-]+)/.exec(head)?.[1];
  return { status, requestId, head, json: JSON.parse(body) as { error: { code: string; message: string; requestId: string } } };
}

describe('installClientErrorReplies', () => {
  it('answers what the parser refuses with the status Node would use, as JSON naming a request id', async () => {
    const refused: string[] = [];
    const port = await serve(refused);
    const cases: Array<[string, number]> = [
      ['GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n', 400],
      ['GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n', 400],
      ['NOT HTTP AT ALL\r\n\r\n', 400],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['GET / HTTP/1.1\r\nHost: x\r\n', 408],
    ];
    for (const [bytes, status] of cases) {
      const reply = parse(await raw(port, bytes));
      expect(reply.status, JSON.stringify(bytes.slice(0, 40))).toBe(status);
      expect(reply.head).toContain('Connection: close');
      expect(reply.json.error).toMatchObject({ code: 'VALIDATION', requestId: reply.requestId });
      expect(reply.json.error.message).not.toMatch(/HPE_|at \w+ \(/);
    }
    expect(refused).toHaveLength(cases.length);
    expect(refused.map((r) => r.split(':')[0])).toContain('HPE_HEADER_OVERFLOW');
  });

  it('never writes into a connection that already carried a response (it is closed instead)', async () => {
    const port = await serve();
    const reply = await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n');
    expect(reply.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
  });
});
