import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="empty-state">
      <h1>We couldn’t find that page</h1>
      <p className="muted">The product may have been removed, or the link is mistyped.</p>
      <p>
        <Link className="button primary" href="/search">
          Browse all products
        </Link>
      </p>
    </div>
  );
}
