import { connect } from 'node:net';

/**
 * Sends bytes exactly as given over a fresh TCP connection and returns what the server wrote before
 * it closed the connection (or `timeoutMs` passed). For requests fetch refuses to send: CR/LF in
 * header values, invalid bytes.
 *
 * @example
 * const text = await rawHttp(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

/** The status code of a raw response (0 when there was none). */
export function rawStatus(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}
