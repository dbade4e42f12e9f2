import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent, for assertions about what must never appear. */
  raw: string;
}

/**
 * Sends raw bytes over TCP and resolves with the first HTTP response, once it is complete
 * (by Content-Length) or the server closes. For requests fetch() refuses to send.
 */
export function rawRequest(port: number, chunks: (string | Buffer)[], options: { halfClose?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settled = false;
    const tryParse = (final: boolean) => {
      const text = Buffer.concat(received).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) {
        if (final && !settled) {
          settled = true;
          reject(new Error(`connection closed without a response: ${JSON.stringify(text)}`));
        }
        return;
      }
      const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      const body = Buffer.concat(received).subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1'));
      if (length !== undefined && body.length < length && !final) return;
      if (length === undefined && !final && !/^HTTP\/1\.1 (204|304)/.test(statusLine ?? '')) return;
      settled = true;
      socket.destroy();
      resolve({
        status: Number(statusLine?.split(' ')[1]),
        headers,
        body: body.subarray(0, length ?? body.length).toString('utf8'),
        raw: text,
      });
    };
    socket.on('data', (data) => {
      received.push(data);
      tryParse(false);
    });
    socket.on('close', () => tryParse(true));
    socket.on('error', () => tryParse(true));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.halfClose) socket.end();
    });
  });
}
