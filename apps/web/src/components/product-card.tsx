import Link from 'next/link';
import type { Ref } from 'react';
import { formatPrice } from '@/lib/format';
import { highlight } from '@/lib/highlight';
import { placeholderUrl } from '@/lib/placeholder-art';

/** What a result card needs; matches the API's product and search-hit shapes. */
export interface CardProduct {
  id: number;
  name: string;
  brand: string;
  category: { name: string };
  priceCents: number;
  currency: string;
  rating: number;
  ratingCount: number;
  stock: number;
  highlight?: { name: readonly { start: number; end: number }[] };
}

export function ProductCard({ product, linkRef }: { product: CardProduct; linkRef?: Ref<HTMLAnchorElement> }) {
  return (
    <article className="product-card" data-testid="product-card">
      <Link href={`/product/${product.id}`} ref={linkRef}>
        {/* biome-ignore lint/performance/noImgElement: locally generated SVG, nothing for next/image to optimize */}
        <img
          src={placeholderUrl({ id: product.id, name: product.name, category: product.category.name })}
          alt=""
          width={400}
          height={300}
          loading="lazy"
        />
        <div className="body">
          <span className="name">{product.highlight ? highlight(product.name, product.highlight.name) : product.name}</span>
          <span className="meta">
            {product.brand} · {product.category.name}
          </span>
          <span className="price-row">
            <span className="price">{formatPrice(product.priceCents, product.currency)}</span>
            <span className="rating">
              <span aria-hidden="true">★</span> {product.rating.toFixed(1)}
              <span className="visually-hidden"> out of 5</span>
            </span>
          </span>
          {product.stock === 0 && <span className="meta out-of-stock">Out of stock</span>}
        </div>
      </Link>
    </article>
  );
}
