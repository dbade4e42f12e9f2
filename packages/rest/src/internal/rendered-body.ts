import { hash } from 'node:crypto';
import { memoizeFrozen } from '@triport/procedure-call';

export interface RenderedBody {
  /** UTF-8 bytes: a kept rendering is then written as it is, not encoded again per response. */
  body: Buffer;
  /** Strong validator of `body`, computed on first use. */
  etag(): string;
}

/**
 * JSON bodies (and their ETags) of procedure outputs. A frozen output is immutable (the procedure says
 * so by freezing it, see `deepFreeze` in @triport/procedure-call: cached values are), so its rendering
 * is kept for as long as the output object lives; anything else is rendered per response.
 *
 * @example
 * const bodies = createBodyRenderer();
 * res.end(bodies.render(output).body);
 *
 * The body is kept as bytes, not a string: a 19 kB search page written as a string was UTF-8 encoded
 * (and measured with Buffer.byteLength) on every response, ≈ a third of a cached search's CPU.
 */
export function createBodyRenderer(): { render(output: unknown): RenderedBody } {
  return {
    render: memoizeFrozen((output): RenderedBody => {
      const body = Buffer.from(JSON.stringify(output) ?? 'null');
      let etag: string | undefined;
      return { body, etag: () => (etag ??= `"${hash('sha1', body, 'base64url')}"`) };
    }),
  };
}
