import { connect } from 'node:net';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from './internal/testing/harness.ts';

let db: TestDb;
let api: TestInstance;
beforeAll(async () => {
  db = await createTestPostgres();
  api = await startInstance(db);
});
afterAll(async () => {
  await api?.close();
  await db?.dispose();
});

/** Sends one GET /healthz on an open socket and reads the reply (status + JSON body). */
function probe(socket: ReturnType<typeof connect>): Promise<{ status: number; body: { status: string } }> {
  return new Promise((resolve, reject) => {
    let reply = '';
    const onData = (chunk: Buffer) => {
      reply += chunk.toString();
      const headEnd = reply.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(reply)?.[1] ?? -1);
      if (headEnd < 0 || length < 0 || reply.length < headEnd + 4 + length) return;
      socket.off('data', onData);
      resolve({ status: Number(reply.slice(9, 12)), body: JSON.parse(reply.slice(headEnd + 4, headEnd + 4 + length)) as { status: string } });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  });
}

describe('/healthz', () => {
  it('says "draining" with a 503 once the server stopped listening (a probe in flight at SIGTERM)', async () => {
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    try {
      expect(await probe(socket)).toMatchObject({ status: 200, body: { status: 'ok' } });
      // What SIGTERM's drain does first: the port is released (idle connections close; busy ones finish).
      api.server.once('request', () => api.server.close());
      expect(await probe(socket)).toMatchObject({ status: 503, body: { status: 'draining' } });
    } finally {
      socket.destroy();
    }
  });
});
