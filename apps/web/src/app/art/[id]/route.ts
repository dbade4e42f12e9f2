import { placeholderSvg } from '@/lib/placeholder-art';

/**
 * GET /art/:id?n=<name>&c=<category>&v=<variant> → deterministic SVG placeholder for a product.
 * Everything the picture depends on is in the URL, so it is cached forever.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const url = new URL(request.url);
  const productId = Number(id);
  if (!Number.isInteger(productId) || productId <= 0) return new Response('Not found', { status: 404 });
  const variant = Math.min(Math.max(Number(url.searchParams.get('v') ?? 0) || 0, 0), 8);
  const svg = placeholderSvg(
    { id: productId, name: (url.searchParams.get('n') ?? '').slice(0, 200), category: (url.searchParams.get('c') ?? '').slice(0, 100) },
    variant,
  );
  return new Response(svg, {
    headers: {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
  });
}
