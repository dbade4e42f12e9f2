import { hash } from 'node:crypto';
import { memoizeFrozen } from '@triport/procedure-call';

export interface RenderedBody {
  body: string;
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
 */
export function createBodyRenderer(): { render(output: unknown): RenderedBody } {
  return {
    render: memoizeFrozen((output): RenderedBody => {
      const body = JSON.stringify(output) ?? 'null';
      let etag: string | undefined;
      return { body, etag: () => (etag ??= `"${hash('sha1', body, 'base64url')}"`) };
    }),
  };
}
