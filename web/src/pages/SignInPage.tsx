// Sign-in form; the demo accounts are listed so a newcomer can try each role.
import { useState, type FormEvent } from 'react';
import { useSession } from '../api/session';
import { navigate } from '../app/router';
import { ApiError } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';

const DEMO_ACCOUNTS = [
  ['planner@ogas.local', 'planner of the whole federation'],
  ['manufacturing@ogas.local', 'manager of the Manufacturing sector'],
  ['shop@ogas.local', 'manager of one shop (Body shop, C29)'],
  ['member@ogas.local', 'member of the A01 co-op'],
  ['auditor@ogas.local', 'auditor of the federation'],
] as const;

export function SignInPage({ next }: { next: string }) {
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="signin">
      <h1>Sign in to the Opsroom</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="signin-help">
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error &&
        (error instanceof ApiError && error.status === 401 ? (
          <div className="notice notice-error" role="alert">
            <strong>Wrong email or password.</strong>
            <p>Check both and try again. After several failures the account is locked for a while.</p>
          </div>
        ) : (
          <ErrorNotice error={error} />
        ))}
      <div id="signin-help" className="hint">
        <p>
          Demo accounts (password <code>ogas-demo-2014</code>); the admin password is printed when the server
          first starts.
        </p>
        <ul>
          {DEMO_ACCOUNTS.map(([mail, role]) => (
            <li key={mail}>
              <code>{mail}</code>: {role}
            </li>
          ))}
        </ul>
        <p>Without signing in you see the public view: the units marked public.</p>
      </div>
    </section>
  );
}
