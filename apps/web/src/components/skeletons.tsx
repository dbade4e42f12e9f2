/** Placeholder cards while results load; hidden from assistive tech (a status message says "Loading"). */
export function ResultSkeletons({ count = 8 }: { count?: number }) {
  return (
    <ul className="product-grid" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <li key={i} className="skeleton-card">
          <div className="skeleton skeleton-img" />
          <div className="skeleton skeleton-line" />
          <div className="skeleton skeleton-line" style={{ width: '50%' }} />
        </li>
      ))}
    </ul>
  );
}
