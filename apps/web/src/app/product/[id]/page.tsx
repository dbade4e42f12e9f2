import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AddToCart } from '@/components/add-to-cart';
import { Gallery } from '@/components/gallery';
import { ProblemNotice } from '@/components/problem-notice';
import { Stars } from '@/components/stars';
import { describeApiError } from '@/lib/api-error';
import { formatPrice } from '@/lib/format';
import { serverApi } from '@/lib/trpc-server';

interface Props {
  params: Promise<{ id: string }>;
}

function parseId(raw: string): number | null {
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
}

async function load(raw: string) {
  const id = parseId(raw);
  if (id === null) notFound();
  const { api, retryAfter } = await serverApi();
  try {
    return { ok: true as const, product: await api.catalog.product.query({ id }) };
  } catch (error) {
    const problem = describeApiError(error, retryAfter());
    if (problem.kind === 'not-found') notFound();
    return { ok: false as const, problem };
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = parseId((await params).id);
  if (id === null) return { title: 'Product not found' };
  try {
    const { api } = await serverApi();
    const product = await api.catalog.product.query({ id });
    return { title: product.name, description: product.description.slice(0, 160) };
  } catch {
    return { title: 'Product' };
  }
}

export default async function ProductPage({ params }: Props) {
  const { id } = await params;
  const result = await load(id);
  if (!result.ok) return <ProblemNotice problem={result.problem} action={<a href={`/product/${encodeURIComponent(id)}`}>Try again</a>} />;
  const { product } = result;
  const art = { id: product.id, name: product.name, category: product.category.name };
  return (
    <article className="product-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link href="/search">All products</Link>
          </li>
          <li>
            <Link href={`/search?category=${encodeURIComponent(product.category.slug)}`}>{product.category.name}</Link>
          </li>
          <li aria-current="page">{product.name}</li>
        </ol>
      </nav>
      <div className="product-layout">
        <Gallery art={art} productName={product.name} />
        <div className="product-info">
          <p className="eyebrow">{product.brand}</p>
          <h1>{product.name}</h1>
          <p className="rating-line">
            <Stars rating={product.rating} /> <span>{product.rating.toFixed(1)}</span>{' '}
            <span className="muted">({product.ratingCount.toLocaleString('en-US')} ratings)</span>
          </p>
          <p className="price-large" data-testid="product-price">
            {formatPrice(product.priceCents, product.currency)}
          </p>
          <p className={product.stock > 0 ? 'stock in-stock' : 'stock out-of-stock'} data-testid="product-stock">
            {product.stock > 10 ? 'In stock' : product.stock > 0 ? `Only ${product.stock} left` : 'Out of stock'}
          </p>
          <AddToCart
            product={{
              productId: product.id,
              name: product.name,
              category: product.category.name,
              priceCents: product.priceCents,
              currency: product.currency,
              stock: product.stock,
            }}
          />
          <h2 className="section-title">About this product</h2>
          <p className="description">{product.description}</p>
          {product.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {product.tags.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          <dl className="specs">
            <dt>SKU</dt>
            <dd>{product.sku}</dd>
            <dt>Category</dt>
            <dd>{product.category.name}</dd>
          </dl>
        </div>
      </div>
    </article>
  );
}
