'use client';
import { useEffect } from 'react';

/** Last line of defence: an unexpected error still gets a calm page with a way forward. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="notice error" role="alert">
      <h1>Something went wrong on our side</h1>
      <p>Please try again in a moment. {error.digest ? <span className="muted small">(reference {error.digest})</span> : null}</p>
      <p>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </p>
    </div>
  );
}
