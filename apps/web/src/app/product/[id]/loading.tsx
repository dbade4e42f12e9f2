export default function ProductLoading() {
  return (
    <div className="product-layout">
      <p role="status" className="visually-hidden">
        Loading product…
      </p>
      <div className="skeleton gallery-main" aria-hidden="true" />
      <div aria-hidden="true">
        <div className="skeleton skeleton-line" style={{ height: 28, width: '70%', margin: '8px 0 16px' }} />
        <div className="skeleton skeleton-line" style={{ height: 20, width: '30%', margin: '0 0 16px' }} />
        <div className="skeleton skeleton-block" />
      </div>
    </div>
  );
}
