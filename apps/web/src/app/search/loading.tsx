import { ResultSkeletons } from '@/components/skeletons';

export default function SearchLoading() {
  return (
    <div className="search-layout">
      <div className="skeleton skeleton-block" aria-hidden="true" />
      <div>
        <p role="status" className="result-count">
          Searching…
        </p>
        <ResultSkeletons />
      </div>
    </div>
  );
}
