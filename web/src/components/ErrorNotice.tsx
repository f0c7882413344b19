// Shows an API failure in words: what went wrong, which fields, and what to do about it.
import { ApiError } from '../api/client';

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const problem = error instanceof ApiError ? error.problem : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  const heading =
    status === 401
      ? 'You need to sign in to see this.'
      : status === 403
        ? 'You do not have the rights to see this.'
        : status === 404
          ? 'Not found.'
          : (problem?.title ?? 'Something went wrong.');
  return (
    <div className="notice notice-error" role="alert">
      <strong>{heading}</strong>
      <p>{error.message}</p>
      {problem?.issues && problem.issues.length > 0 && (
        <ul>
          {problem.issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      {problem?.fix && <p>What to do: {problem.fix}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
