import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

interface Refusal {
  status: number;
  reason: string;
  message: string;
}

const REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: 'The request head is larger than this server accepts (16 KiB).' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Payload Too Large', message: 'The chunk extensions of the request body are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'The request did not arrive in time.' },
};
const MALFORMED: Refusal = { status: 400, reason: 'Bad Request', message: 'The request is not valid HTTP/1.1.' };

/** The raw reply to a request Node's parser refused: the gateway's JSON error shape, with a request id. */
export function clientErrorResponse(code: string | undefined, requestId: string): string {
  const { status, reason, message } = (code !== undefined ? REFUSALS[code] : undefined) ?? MALFORMED;
  const body = JSON.stringify({ error: { code: 'VALIDATION', message, requestId } });
  return (
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nX-Request-Id: ${requestId}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/**
 * `server` is a node:http server. Requests Node's HTTP parser refuses (malformed head, CR/NUL in a header, a head over 16 KiB, a head or
 * body that did not arrive in time) never reach a handler; Node answers them with a bare status line.
 * This answers them as every other gateway error is answered — JSON with a request id the client can
 * quote — under the same rule as Node's default: only on a socket that has not written anything yet
 * (otherwise the bytes could be taken for part of an earlier response), then the socket is closed.
 *
 * @example
 * installClientErrorReplies(server, (error, requestId) => logger.debug({ requestId, code: error.code }, 'Refused by the HTTP parser'));
 */
export function installClientErrorReplies(server: EventEmitter, onRefused?: (error: NodeJS.ErrnoException, requestId: string) => void): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A reset or a socket already closing has no one to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    onRefused?.(error, requestId);
    if (socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    socket.write(clientErrorResponse(error.code, requestId));
    // With installLingeringClose this half-closes and lingers, so the reply is not lost to an RST.
    socket.destroySoon();
  });
}
