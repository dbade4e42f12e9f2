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

/** Reads the raw body, refusing to buffer more than `maxBodyBytes` (checked before and while reading). */
function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (error: SoapProtocolError | undefined): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error) {
        chunks.length = 0;
        // Keep discarding the rest so the socket can still carry our fault response.
        req.resume();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined);
    const onError = (): void => finish(new SoapProtocolError('BAD_REQUEST', 'Request body could not be read'));
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
 * bounded inflater. Unsupported codings are 415 (RFC 7694).
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const header = req.headers['content-encoding'];
  const encoding = (header ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    // Drain so the fault can be delivered on this connection.
    req.resume();
    throw new SoapProtocolError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Encoding');
  }
  const raw = await readRaw(req, limits.maxBodyBytes);
  if (encoding === 'identity') return raw;
  return inflateBounded(raw, encoding, limits.maxInflatedBytes);
}
