import { IncomingMessage, ServerResponse } from 'node:http';
import type { CacheObserver, CacheOutcome, Principal, RequestObservation, Timing } from '@triport/core';

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/** Called once per request, when the response head is written (status known). */
export interface ResponseListener {
  onHead(res: GatewayResponse, status: number, totalMs: number): void;
}

/** Status logged for a request whose client went away before any response (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** Shared listener (no per-request closure): EventEmitter calls it with `this` = the response. */
function onClose(this: GatewayResponse): void {
  if (!this.headersSent) this.abandoned();
}

/**
 * The server's request object: knows its response, so hooks that only receive `req` (adapter `onError`)
 * can record the outcome.
 */
export class GatewayRequest extends IncomingMessage {
  response?: GatewayResponse;
}

/**
 * The server's response object, one per request: it carries the request's gateway state (id, style,
 * principal, timings, observation) and is the context's `timing` and cache observer. Server-Timing and
 * the log line are produced in `writeHead`, which Node calls for explicit and implicit heads alike, so
 * no per-request listeners or closures are needed.
 */
export class GatewayResponse extends ServerResponse<GatewayRequest> implements Timing, CacheObserver {
  requestId = '';
  started = 0;
  style = '-';
  principal: Principal = ANONYMOUS;
  /** Vocabulary code of the error the adapter reported, if any. */
  errorCode: string | undefined;
  readonly observation: RequestObservation = { procedure: undefined, cache: undefined };
  listener: ResponseListener | undefined;
  #timings = '';
  #headWritten = false;

  add(name: string, ms: number): void {
    this.#timings += `${name};dur=${ms.toFixed(2)}, `;
  }

  cacheOutcome(outcome: CacheOutcome): void {
    this.observation.cache = outcome;
  }

  /** Starts tracking: the gateway calls this once per request. */
  begin(requestId: string, listener: ResponseListener): void {
    this.started = performance.now();
    this.requestId = requestId;
    this.listener = listener;
    this.once('close', onClose);
  }

  /** The connection closed before a response head: still one log line and one metric. */
  abandoned(): void {
    if (this.#headWritten || !this.listener) return;
    this.#headWritten = true;
    this.listener.onHead(this, CLIENT_CLOSED, performance.now() - this.started);
  }

  override writeHead(statusCode: number, ...rest: unknown[]): this {
    if (!this.#headWritten && this.listener) {
      this.#headWritten = true;
      const totalMs = performance.now() - this.started;
      this.setHeader('Server-Timing', `${this.#timings}total;dur=${totalMs.toFixed(2)}`);
      // A session cookie (login, or a sliding renewal on a public read) must never sit in a shared cache.
      if (this.hasHeader('set-cookie')) this.setHeader('Cache-Control', 'private, no-store');
      this.listener.onHead(this, statusCode, totalMs);
    }
    return Reflect.apply(ServerResponse.prototype.writeHead, this, [statusCode, ...rest]) as this;
  }
}
