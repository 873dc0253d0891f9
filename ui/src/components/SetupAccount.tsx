// Why: the first run of `vigil serve` prints a one-time link; opening it asks for the admin's username and password (twice) and signs them in — no token to copy out of a file.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { API_PREFIX, ApiError, unwrap } from '../api/client';
import type { LoginResponse, StoredSession } from '../api/session';
import { signInMessage } from './SignIn';

/** `code` of a `#/setup?code=…` address, if it is one. */
export function setupCode(hash: string): string | null {
  const m = /^#\/setup\?(.*)$/.exec(hash);
  if (!m) return null;
  const code = new URLSearchParams(m[1]).get('code');
  return code ? code : null;
}

interface Props {
  baseUrl: string;
  code: string;
  onDone: (s: StoredSession) => void;
}

export function SetupAccount({ baseUrl, code, onDone }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) {
      setError('The passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`${baseUrl}${API_PREFIX}/auth/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ code, username: username.trim(), password }),
      });
      if (!res.ok) throw await ApiError.fromResponse(res);
      const r = await unwrap<LoginResponse>(res);
      onDone({
        access: r.access_token,
        refresh: r.refresh_token,
        expiresAt: Date.now() + r.expires_in * 1000,
        username: r.user.username,
      });
    } catch (err) {
      const fields = err instanceof ApiError ? Object.values(err.fields) : [];
      setError(fields.length ? fields.join(' ') : signInMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} data-testid="setup-form">
        <h1>Welcome to Vigil</h1>
        <p className="muted">Create the admin account. You will sign in with it from now on.</p>
        {error && (
          <p className="banner banner-error" role="alert" data-testid="setup-error">
            {error}
          </p>
        )}
        <label htmlFor="setup-username">Username</label>
        <input id="setup-username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        <label htmlFor="setup-password">Password (at least 8 characters)</label>
        <input
          id="setup-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor="setup-again">Password again</label>
        <input id="setup-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={busy || !username.trim() || password.length < 8}>
          Create account
        </button>
      </form>
    </main>
  );
}
