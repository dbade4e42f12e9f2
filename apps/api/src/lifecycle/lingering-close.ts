import type { Server, Socket } from 'node:net';

/** How long a connection stays half-closed, discarding the client's upload, before it is closed anyway. */
export const DEFAULT_LINGER_MS = 2000;

type LingeringSocket = Socket & { lingerMs?: number };

/**
 * Node ends a `Connection: close` response with `socket.destroySoon()`: FIN, then close as soon as the
 * response is flushed. When the request body was refused unread (413, 415, 408), the client is still
 * uploading, and closing a socket with unread input makes the kernel answer with RST, which can
 * discard the response before the client has read it ("fetch failed … EPIPE" instead of a 413).
 * This is RFC 9112 §9.6's tear-down instead: half-close, keep reading (the HTTP parser discards the
 * rest of the body), close when the client closes or after `lingerMs`.
 */
function lingeringDestroySoon(this: LingeringSocket): void {
  if (this.destroyed) return;
  if (this.writable) this.end();
  const timer = setTimeout(() => this.destroy(), this.lingerMs ?? DEFAULT_LINGER_MS);
  timer.unref();
  this.once('close', () => clearTimeout(timer));
}

/**
 * Gives every connection of `server` a lingering close (see above). The server is HTTP/1.1 only.
 *
 * @example
 * const server = createServer(handler);
 * installLingeringClose(server);
 */
export function installLingeringClose(server: Server, lingerMs = DEFAULT_LINGER_MS): void {
  server.on('connection', (socket: LingeringSocket) => {
    // An own property on each socket: net.Socket.prototype stays as it is for every other socket.
    socket.destroySoon = lingeringDestroySoon;
    if (lingerMs !== DEFAULT_LINGER_MS) socket.lingerMs = lingerMs;
  });
}
