import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw } from 'node:zlib';
import { SoapProtocolError } from './soap-error.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);

export interface BodyLimits {
  maxBodyBytes: number;
  maxInflatedBytes: number;
}

function tooLarge(): SoapProtocolError {
  return new SoapProtocolError('PAYLOAD_TOO_LARGE', 'Request body too large');
}

/** One body being read. Listeners are shared module functions (not closures made per request). */
interface BodyRead {
  chunks: Buffer[];
  total: number;
  maxBytes: number;
  resolve: (body: Buffer) => void;
  reject: (error: SoapProtocolError) => void;
}

const reads = new WeakMap<IncomingMessage, BodyRead>();

function finish(req: IncomingMessage, read: BodyRead, error: SoapProtocolError | undefined): void {
  reads.delete(req);
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  if (error) {
    read.chunks.length = 0;
    // Keep discarding the rest so the socket can still carry our fault response.
    req.resume();
    read.reject(error);
  } else {
    const { chunks } = read;
    read.resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, read.total));
  }
}

function onData(this: IncomingMessage, chunk: Buffer): void {
  const read = reads.get(this);
  if (read === undefined) return;
  read.total += chunk.length;
  if (read.total > read.maxBytes) finish(this, read, tooLarge());
  else read.chunks.push(chunk);
}

function onEnd(this: IncomingMessage): void {
  const read = reads.get(this);
  if (read !== undefined) finish(this, read, undefined);
}

function onError(this: IncomingMessage): void {
  const read = reads.get(this);
  if (read !== undefined) finish(this, read, new SoapProtocolError('BAD_REQUEST', 'Request body could not be read'));
}

/** Reads the raw body, refusing to buffer more than `maxBodyBytes` (checked before and while reading). */
function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    reads.set(req, { chunks: [], total: 0, maxBytes, resolve, reject });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

async function inflateBounded(
  raw: Buffer,
  encoding: string,
  maxOutputLength: number,
): Promise<Buffer> {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzipAsync(raw, { maxOutputLength });
    try {
      return await inflateAsync(raw, { maxOutputLength });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      // Some clients send raw DEFLATE without the zlib wrapper for `deflate`.
      return await inflateRawAsync(raw, { maxOutputLength });
    }
  } catch (error) {
    // zlib stops at maxOutputLength and reports ERR_BUFFER_TOO_LARGE: the bomb never fully inflates.
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new SoapProtocolError('BAD_REQUEST', 'Malformed compressed request body');
  }
}

/**
 * Reads the request body within the limits, inflating `gzip`/`deflate` Content-Encoding with a
 * bounded inflater. Unsupported codings are 415 (RFC 7694). Not an async function: an identity body
 * (the usual case) is readRaw's promise itself, one promise layer less per request.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const header = req.headers['content-encoding'];
  const encoding = header === undefined ? 'identity' : header.trim().toLowerCase();
  if (encoding === 'identity') return readRaw(req, limits.maxBodyBytes);
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    // Drain so the fault can be delivered on this connection.
    req.resume();
    return Promise.reject(new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Encoding'));
  }
  return readRaw(req, limits.maxBodyBytes).then((raw) => inflateBounded(raw, encoding, limits.maxInflatedBytes));
}
