// Why: in a plain browser the UI has no token until the user pastes one; this form asks for it once per session.
import { useState } from 'react';
import type { FormEvent } from 'react';

interface Props {
  onToken: (token: string) => void;
  /** Why the form is shown again, e.g. the last token was refused. */
  notice?: string | null;
}

export function SignIn({ onToken, notice }: Props) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = token.trim();
    if (t) onToken(t);
  };
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} data-testid="signin-form">
        <h1>Vigil</h1>
        <p className="muted">Sign in with an API token to manage cameras.</p>
        {notice && (
          <p className="banner banner-error" role="alert">
            {notice}
          </p>
        )}
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
          The token is in runtime.json in Vigil&apos;s data dir.
        </p>
        <button type="submit" className="btn btn-primary" disabled={!token.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
