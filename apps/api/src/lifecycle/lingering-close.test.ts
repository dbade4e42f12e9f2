import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { seedDatabase } from '@triport/db';
import { createTestPostgres, type TestDb } from '@triport/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type TestInstance } from '../internal/testing/harness.ts';
import { installLingeringClose } from './lingering-close.ts';

const MiB = 1024 * 1024;

interface Upload {
  /** The part sent before the reply is awaited. */
  head: Buffer;
  /** The rest of the body, sent after the reply has arrived. */
  rest: Buffer;
}

/**
 * Sends `head`, waits until the server has replied AND closed its side (or replied in full, if it keeps
 * the connection), then uploads `rest` and closes. An early close by the server shows as EPIPE/ECONNRESET
 * on that second write: exactly what made clients lose a 413 while they were still uploading.
 */
function uploadAfterReply(port: number, upload: Upload): Promise<{ reply: string; error?: string; serverEnded: boolean }> {
  return new Promise((resolve) => {
    // allowHalfOpen: the server's FIN must not end our side, or we could not keep uploading.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let reply = '';
    let error: string | undefined;
    let serverEnded = false;
    let restSent = false;
    const sendRest = () => {
      if (restSent) return;
      restSent = true;
      socket.write(upload.rest, () => socket.end());
    };
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      const headEnd = reply.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(reply)?.[1];
      const complete = length === undefined ? reply.endsWith('\r\n0\r\n\r\n') : reply.length >= headEnd + 4 + Number(length);
      // A kept-alive reply (tRPC's): the upload goes on once the reply is complete.
      if (headEnd >= 0 && complete && !/\r\nconnection: close/i.test(reply)) sendRest();
    });
    socket.on('end', () => {
      serverEnded = true;
      sendRest();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ reply, error, serverEnded }));
    socket.write(upload.head);
  });
}

function postHead(path: string, contentType: string, length: number, extra = ''): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n${extra}\r\n`;
}

describe('installLingeringClose on a bare server', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  async function refusingServer(linger: boolean, lingerMs?: number): Promise<number> {
    // Refuses every body unread, as the adapters do for a declared oversize body.
    const server = createServer((_req, res) => {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      res.end('too large');
    });
    servers.push(server);
    if (linger) installLingeringClose(server, lingerMs);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  const upload = (): Upload => ({ head: Buffer.concat([Buffer.from(postHead('/', 'text/plain', 2 * MiB)), Buffer.alloc(64 * 1024, 120)]), rest: Buffer.alloc(2 * MiB - 64 * 1024, 120) });

  it('without it, Node closes at once and the client still uploading gets EPIPE/ECONNRESET (the failure it prevents)', async () => {
    const result = await uploadAfterReply(await refusingServer(false), upload());
    expect(result.reply).toMatch(/^HTTP\/1\.1 413/);
    expect(result.error).toMatch(/EPIPE|ECONNRESET/);
  });

  it('with it, the server half-closes, reads and discards the rest of the upload, and closes when the client does', async () => {
    const result = await uploadAfterReply(await refusingServer(true), upload());
    expect(result).toMatchObject({ serverEnded: true, error: undefined });
    expect(result.reply).toMatch(/^HTTP\/1\.1 413/);
  });

  it('is bounded: a client that never finishes its upload is closed after the linger time', async () => {
    const port = await refusingServer(true, 300);
    const serverSide = new Promise<number>((resolve) => servers[0]?.once('connection', (s) => s.once('close', () => resolve(Date.now()))));
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    socket.resume(); // 'end' comes only once the reply has been read
    const replied = new Promise<number>((resolve) => socket.once('end', () => resolve(Date.now())));
    socket.write(postHead('/', 'text/plain', 2 * MiB));
    const lingered = (await serverSide) - (await replied);
    socket.destroy();
    expect(lingered).toBeGreaterThanOrEqual(250);
    expect(lingered).toBeLessThan(5000);
  });
});

describe('every style of the real app refuses an oversized upload with a reply the client can read', () => {
  let db: TestDb;
  let api: TestInstance;
  let port: number;
  beforeAll(async () => {
    db = await createTestPostgres();
    await seedDatabase(db.db, { products: 20, seed: 3 });
    api = await startInstance(db);
    port = Number(new URL(api.url).port);
  });
  afterAll(async () => {
    await api?.close();
    await db?.dispose();
  });

  const json = (size: number) => Buffer.from(`{"email":"${'a'.repeat(size - 30)}","password":"p"}`);
  const envelope = (size: number) =>
    Buffer.from(
      `<?xml version="1.0"?><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="urn:triport:soap:v1"><e:Body><t:Login><t:email>${'a'.repeat(size - 200)}</t:email><t:password>p</t:password></t:Login></e:Body></e:Envelope>`,
    );

  const cases: Array<{ style: string; path: string; contentType: string; body: Buffer; extra?: string; sentFirst: number }> = [
    // REST and SOAP refuse a declared oversize body before reading it; tRPC reads up to its 1 MiB limit.
    { style: 'REST', path: '/rest/v1/auth/login', contentType: 'application/json', body: json(2 * MiB), sentFirst: 64 * 1024 },
    { style: 'SOAP 1.1', path: '/soap', contentType: 'text/xml; charset=utf-8', body: envelope(2 * MiB), extra: 'SOAPAction: "urn:triport:soap:v1#Login"\r\n', sentFirst: 64 * 1024 },
    { style: 'tRPC', path: '/trpc/auth.login', contentType: 'application/json', body: json(2 * MiB), sentFirst: MiB + 64 * 1024 },
  ];

  for (const c of cases) {
    it(`${c.style}: 413, and the rest of the upload is accepted and discarded`, async () => {
      const head = Buffer.concat([Buffer.from(postHead(c.path, c.contentType, c.body.length, c.extra)), c.body.subarray(0, c.sentFirst)]);
      const result = await uploadAfterReply(port, { head, rest: c.body.subarray(c.sentFirst) });
      expect(result.error, result.reply.slice(0, 300)).toBeUndefined();
      expect(result.reply).toMatch(/^HTTP\/1\.1 413 /);
    });
  }
});
