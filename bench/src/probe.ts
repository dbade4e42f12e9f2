import { connect } from 'node:net';
import { type ParsedResponse, parseResponse } from './wire.ts';

/**
 * Sends raw request bytes on a fresh connection and reads one response (the bytes autocannon would send,
 * so the probe checks the exact request the load run repeats).
 *
 * @example
 * const res = await sendRaw(4000, rawRequest({ method: 'GET', path: '/healthz' }, '127.0.0.1:4000'));
 */
export function sendRaw(port: number, request: Buffer, timeoutMs = 10_000): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const parsed = parseResponse(received);
        if (parsed) {
          clearTimeout(timer);
          socket.destroy();
          resolve(parsed);
        }
      } catch (error) {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(request);
  });
}
