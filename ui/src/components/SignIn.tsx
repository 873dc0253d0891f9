// Why: in a plain browser (another PC on the LAN, or this one) a person signs in with their username and password; scripts' API tokens still work through "Use an API token". Wrong credentials, a lockout (with how long) and an unreachable server each say so.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';

interface Props {
  /** Sign in; rejects with the server's ApiError. */
  onSignIn: (username: string, password: string) => Promise<void>;
  onToken: (token: string) => void;
  /** Why the form is shown again, e.g. the session ended. */
  notice?: string | null;
}

export function signInMessage(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  switch (e.code) {
    case 'AUTH_CREDENTIALS_INVALID':
      return 'Wrong username or password.';
    case 'RATE_LIMIT_EXCEEDED': {
      const s = Number(e.details?.retry_after_s ?? 0);
      return s > 0
        ? `Too many failed attempts. Try again in ${s < 90 ? `${s} s` : `${Math.ceil(s / 60)} min`}.`
        : 'Too many failed attempts. Try again later.';
    }
    case 'NETWORK_ERROR':
      return e.message;
    default:
      return `${e.message} (${e.code})`;
  }
}

export function SignIn({ onSignIn, onToken, notice }: Props) {
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'token') {
      const t = token.trim();
      if (t) onToken(t);
      return;
    }
    if (!username.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      await onSignIn(username.trim(), password);
    } catch (err) {
      setError(signInMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} data-testid="signin-form">
        <h1>Vigil</h1>
        {notice && (
          <p className="banner banner-error" role="alert" data-testid="signin-notice">
            {notice}
          </p>
        )}
        {error && (
          <p className="banner banner-error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        {mode === 'password' ? (
          <>
            <label htmlFor="signin-username">Username</label>
            <input
              id="signin-username"
              autoComplete="username"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus
            />
            <label htmlFor="signin-password">Password</label>
            <input
              id="signin-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !username.trim() || !password}
              data-testid="signin-submit"
            >
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setMode('token')}>
              Use an API token instead
            </button>
          </>
        ) : (
          <>
            <label htmlFor="signin-token">API token</label>
            <input
              id="signin-token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-describedby="signin-hint"
              autoFocus
            />
            <p id="signin-hint" className="hint">
              An admin creates tokens on the Access page; the admin token is in runtime.json in Vigil&apos;s data dir.
            </p>
            <button type="submit" className="btn btn-primary" disabled={!token.trim()}>
              Sign in
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setMode('password')}>
              Sign in with a username instead
            </button>
          </>
        )}
      </form>
    </main>
  );
}
