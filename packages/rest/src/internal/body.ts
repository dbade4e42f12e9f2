import type { IncomingMessage } from 'node:http';
import { RestRequestError } from '../problem.ts';
import { FORBIDDEN_KEYS } from './query.ts';

/** Marker for "the request has no body". */
export const NO_BODY: unique symbol = Symbol('no body');

/** Thrown when the client went away mid-body: there is nobody left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const MAX_DEPTH = 64;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Whether the request announces a body (a positive Content-Length or chunked encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads a JSON body: 415 unless `application/json` (charset utf-8 or none), 413 past `maxBytes`
 * without buffering more than the limit, 408 after `timeoutMs`, 400 for invalid UTF-8 or JSON.
 */
export function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<unknown | typeof NO_BODY> {
  if (!hasBody(req)) return Promise.resolve(NO_BODY);
  const contentType = req.headers['content-type'];
  if (contentType === undefined || !JSON_TYPE.test(contentType)) {
    return Promise.reject(
      new RestRequestError(415, 'Request bodies must be application/json (UTF-8).', {
        headers: { 'Accept-Post': 'application/json', Connection: 'close' },
      }),
    );
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    // Compressed bodies would need a bounded inflate; refusing them keeps the size limit exact.
    return Promise.reject(
      new RestRequestError(415, `Content-Encoding "${encoding.slice(0, 32)}" is not supported for request bodies.`, {
        headers: { 'Accept-Encoding': 'identity', Connection: 'close' },
      }),
    );
  }
  const declared = Number(req.headers['content-length'] ?? '-1');
  if (declared > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | undefined, value?: unknown) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error) {
        // Stop buffering but keep the socket drained until the response closes the connection.
        req.resume();
        reject(error);
      } else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(tooLarge(maxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        finish(undefined, parseJson(Buffer.concat(chunks, size)));
      } catch (error) {
        finish(error as Error);
      }
    };
    const onError = () => finish(new ClientGoneError());
    const onAborted = () => finish(new ClientGoneError());
    const timer = setTimeout(
      () => finish(new RestRequestError(408, 'The request body did not arrive in time.', { headers: { Connection: 'close' } })),
      timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(maxBytes: number): RestRequestError {
  return new RestRequestError(413, `The request body exceeds ${maxBytes} bytes.`, { headers: { Connection: 'close' } });
}

/** Decodes strict UTF-8, parses JSON and checks depth and keys without recursion. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new RestRequestError(400, 'The request body is not valid UTF-8.');
  }
  if (text.trim() === '') throw new RestRequestError(400, 'The request body is empty.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RestRequestError(400, 'The request body is not valid JSON.');
  }
  checkShape(value);
  return value;
}

/**
 * Rejects bodies nested deeper than {@link MAX_DEPTH} and keys that name prototypes
 * (`__proto__`, `constructor`, `prototype`). Iterative, and only containers go on the stack, so a
 * 100k-deep array cannot overflow the stack and a long flat array costs one pass.
 */
function checkShape(root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  const stack: { value: object; depth: number; pointer: string }[] = [{ value: root, depth: 0, pointer: '' }];
  while (stack.length > 0) {
    const { value, depth, pointer } = stack.pop()!;
    if (depth >= MAX_DEPTH) throw new RestRequestError(400, `The request body nests deeper than ${MAX_DEPTH} levels.`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1, pointer: `${pointer}/${i}` });
      }
      continue;
    }
    for (const key in value) {
      if (FORBIDDEN_KEYS.has(key)) {
        const at = `${pointer}/${key}`;
        throw new RestRequestError(400, `The key "${key}" is not allowed in request bodies.`, {
          errors: [{ pointer: at, message: 'Forbidden key', code: 'forbidden_key' }],
        });
      }
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: depth + 1, pointer: `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}` });
      }
    }
  }
}
