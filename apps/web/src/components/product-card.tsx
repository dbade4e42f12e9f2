import { formatPrice } from '@/lib/format';
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
  stock: number;
}

export function ProductCard({ product }: { product: CardProduct }) {
  return (
    <article className="product-card" data-testid="product-card">
      <a href={`/product/${product.id}`}>
        {/* biome-ignore lint/performance/noImgElement: locally generated SVG, nothing for next/image to optimize */}
        <img src={placeholderUrl({ id: product.id, name: product.name, category: product.category.name })} alt="" width={400} height={300} />
        <div className="body">
          <span className="name">{product.name}</span>
          <span className="meta">
            {product.brand} · {product.category.name}
          </span>
          <span className="price">{formatPrice(product.priceCents, product.currency)}</span>
        </div>
      </a>
    </article>
  );
}
