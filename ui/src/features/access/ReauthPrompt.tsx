// Why: a signed-in admin whose last password entry is over five minutes old is asked for it again before admin pages work (the server answers AUTH_REAUTH_REQUIRED until then), so a desk left signed in is not an open door to user and token management or to storage.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/client';
import { signInMessage } from '../../components/SignIn';

export function needsReauth(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'AUTH_REAUTH_REQUIRED';
}

interface Props {
  api: ApiClient;
  /** The password was accepted: retry what was refused. */
  onDone: () => void;
}

/** An admin page: any of its calls refused with AUTH_REAUTH_REQUIRED (a query or an action) replaces it with the
 * password prompt, and everything is fetched again once the password is accepted. */
export function ReauthGate({ api, className, children }: { api: ApiClient; className: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [reauth, setReauth] = useState(false);
  useEffect(
    () =>
      qc.getQueryCache().subscribe((ev) => {
        if (ev.type === 'updated' && needsReauth(ev.query.state.error)) setReauth(true);
      }),
    [qc],
  );
  useEffect(
    () =>
      qc.getMutationCache().subscribe((ev) => {
        if (ev.type === 'updated' && needsReauth(ev.mutation.state.error)) setReauth(true);
      }),
    [qc],
  );
  if (!reauth) return <>{children}</>;
  return (
    <main className={`page ${className} centered`}>
      <ReauthPrompt
        api={api}
        onDone={() => {
          setReauth(false);
          void qc.invalidateQueries();
        }}
      />
    </main>
  );
}

export function ReauthPrompt({ api, onDone }: Props) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.request<void>('POST', '/auth/reauth', { password });
      setPassword('');
      onDone();
    } catch (err) {
      setError(signInMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card signin-card" onSubmit={submit} data-testid="reauth-form">
      <h2>Confirm it is you</h2>
      <p className="muted">Admin pages ask for your password again after five minutes.</p>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <label htmlFor="reauth-password">Password</label>
      <input
        id="reauth-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoFocus
      />
      <button type="submit" className="btn btn-primary" disabled={busy || !password}>
        Continue
      </button>
    </form>
  );
}
