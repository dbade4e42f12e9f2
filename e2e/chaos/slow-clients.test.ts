import { connect, type Socket } from 'node:net';
import { demoCredentials } from '@triport/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosDatabase, createChaosDatabase } from './support/database.ts';
import { recordFigure } from './support/figures.ts';
import { type ApiProcess, killAllApis, startApi } from './support/processes.ts';
import { send, styles } from './support/styles.ts';

let database: ChaosDatabase;
let api: ApiProcess;
beforeAll(async () => {
  database = await createChaosDatabase();
  api = await startApi('slow', {
    DATABASE_URL: database.url,
    RATE_LIMIT_ANONYMOUS: '1000000/1h',
    RATE_LIMIT_PREMIUM: '1000000/1h',
    API_HEADERS_TIMEOUT_MS: '2000',
    API_REQUEST_TIMEOUT_MS: '4000',
    API_KEEPALIVE_TIMEOUT_MS: '1000',
  });
});
afterAll(async () => {
  await killAllApis();
  await database?.dispose();
});

interface Attacker {
  kind: string;
  socket: Socket;
  closed: Promise<void>;
  received: () => string;
  stop(): void;
}

function attacker(kind: string, first: string, drip?: string): Attacker {
  const socket = connect(api.port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  if (first) socket.write(first);
  const timer = drip ? setInterval(() => socket.writable && socket.write(drip), 1000) : undefined;
  void closed.then(() => clearInterval(timer));
  return { kind, socket, closed, received: () => received, stop: () => clearInterval(timer) };
}

describe('slow and abandoned clients', () => {
  it('do not pin the server: normal requests succeed meanwhile and the server closes every such socket', async () => {
    const body = '{"lines":[{"productId":1,';
    const attackers: Attacker[] = [
      // Slowloris: a request head that never ends, one header byte a second.
      ...Array.from({ length: 30 }, (_, i) => attacker('slowloris', `GET /trpc/catalog.product?i=${i} HTTP/1.1\r\nHost: x\r\nX-Slow: `, 'a')),
      // Abandoned bodies: a complete head announcing more body than ever arrives, in every style.
      ...Array.from({ length: 5 }, () => attacker('abandoned-rest', `POST /rest/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${body}`)),
      ...Array.from({ length: 5 }, () => attacker('abandoned-trpc', `POST /trpc/orders.create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${body}`)),
      // Signed in, so the mutation waits for its body instead of being refused early.
      ...Array.from({ length: 5 }, () =>
        attacker(
          'abandoned-trpc-signed-in',
          `POST /trpc/orders.create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${demoCredentials.premiumApiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n${body}`,
        ),
      ),
      ...Array.from({ length: 5 }, () => attacker('abandoned-soap', `POST /soap HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<?xml version="1.0"?><s:Envelope`)),
      // Connections that never send a byte.
      ...Array.from({ length: 5 }, () => attacker('silent', '')),
    ];
    const opened = performance.now();
    try {
      // While they hang on, normal traffic is served in every style.
      for (let round = 0; round < 3; round += 1) {
        for (const style of styles) {
          const reply = await send(api.url, style, { procedure: 'catalog.product', input: { id: 2 + round } });
          expect(reply.outcome, `${style} ${reply.body.slice(0, 200)}`).toBe('OK');
        }
      }
      const stillOpenDuringTraffic = attackers.filter((a) => !a.socket.closed).length;
      // The server, not the client, ends every one of them (the test timeout bounds the wait).
      await Promise.all(attackers.map((a) => a.closed));
      const allClosedAfterMs = Math.round(performance.now() - opened);
      const answers: Record<string, Record<string, number>> = {};
      for (const a of attackers) {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(a.received())?.[1] ?? 'closed without reply';
        answers[a.kind] ??= {};
        answers[a.kind]![status] = (answers[a.kind]![status] ?? 0) + 1;
      }
      recordFigure('slow-clients', { sockets: attackers.length, stillOpenDuringTraffic, allClosedAfterMs, answers });
      for (const a of attackers) expect(a.received(), a.kind).not.toMatch(/^HTTP\/1\.1 5\d\d/);
      // And afterwards the server is as good as new.
      expect((await send(api.url, 'rest', { procedure: 'catalog.product', input: { id: 9 } })).outcome).toBe('OK');
      expect(api.child.exitCode).toBeNull();
    } finally {
      for (const a of attackers) {
        a.stop();
        a.socket.destroy();
      }
    }
  });
});
