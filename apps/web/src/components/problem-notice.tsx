import type { ApiProblem } from '@/lib/api-error';

/** A friendly, accessible message for an API problem; rate limits say when to try again. */
export function ProblemNotice({ problem, action }: { problem: ApiProblem; action?: React.ReactNode }) {
  if (problem.kind === 'rate-limited') {
    return (
      <div className="notice warn" role="alert" data-testid="rate-limited">
        <strong>Easy there — you’re going faster than we can keep up.</strong>
        <p>
          Too many requests in a short time. Please try again in {problem.retryAfter} second{problem.retryAfter === 1 ? '' : 's'}.
        </p>
        {action}
      </div>
    );
  }
  return (
    <div className="notice error" role="alert">
      <p>{problem.message}</p>
      {action}
    </div>
  );
}
