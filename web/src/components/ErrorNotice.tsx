// Shows an API failure in words: what went wrong, which fields, and what to do about it. A refusal says which
// kind it is: not signed in, signed in but not allowed, or a session that ended.
import { ApiError } from '../api/client';
import { useSession } from '../api/session';
import { Link } from '../app/router';

function headingOf(status: number | undefined, signedIn: boolean, title: string | undefined): string {
  if (status === 401)
    return signedIn
      ? 'Your session has ended: sign in again to continue.'
      : 'This is not public: sign in to see it or to do this.';
  if (status === 403) return 'You are signed in, but your roles do not allow this here.';
  if (status === 404) return 'Not found: the address may be out of date, or the record was removed.';
  if (status === 409) return 'This cannot be done now.';
  if (status === 0) return 'No connection to the server.';
  return title ?? 'Something went wrong.';
}

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { who } = useSession();
  const problem = error instanceof ApiError ? error.problem : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  const signedIn = who?.kind === 'person';
  const detail = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  // Programs are told about auth.login; people get the sign-in page.
  const fix = status === 401 ? undefined : problem?.fix;
  return (
    <div className="notice notice-error" role="alert">
      <strong>{headingOf(status, signedIn, problem?.title)}</strong>
      {status !== 404 && <p>{detail}.</p>}
      {problem?.issues && problem.issues.length > 0 && (
        <ul>
          {problem.issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      {fix && <p>What to do: {fix}.</p>}
      {status === 401 && (
        <p>
          <Link href={`/signin?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link>
        </p>
      )}
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

/**
 * A page that could not load its record: still a page (its heading, so a screen reader's outline and the tab
 * title say where one is), the notice, and the way back to the list it came from.
 */
export function PageError({
  title,
  error,
  onRetry,
  back,
}: {
  title: string;
  error: Error;
  onRetry?: () => void;
  back: { href: string; label: string };
}) {
  return (
    <section>
      <h1>{title}</h1>
      <ErrorNotice error={error} onRetry={onRetry} />
      <p>
        <Link href={back.href}>{back.label}</Link>
      </p>
    </section>
  );
}
