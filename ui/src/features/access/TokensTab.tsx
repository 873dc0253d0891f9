// Why: the admin makes API tokens for scripts and integrations (role, cameras, rate limit, expiry), sees the secret exactly once, and revokes tokens — which closes their open sockets at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { CameraScopePicker, camerasText } from './AccessPage';

type TokenInfo = components['schemas']['TokenInfo'];
type TokenCreated = components['schemas']['TokenCreated'];
type Role = components['schemas']['Role'];

const KEY = ['tokens'] as const;

interface Props {
  api: ApiClient;
  cameras: readonly Camera[];
}

/** A datetime-local value as RFC 3339, or null when empty. */
export function localToIso(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function TokensTab({ api, cameras }: Props) {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: KEY, queryFn: () => api.request<TokenInfo[]>('GET', '/tokens') });
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [scope, setScope] = useState<number[] | null>(null);
  const [rate, setRate] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  const create = useMutation({
    mutationFn: () =>
      api.request<TokenCreated>('POST', '/tokens', {
        name: name.trim(),
        role,
        cameras: scope,
        rate_limit_per_min: rate.trim() ? Number(rate) : null,
        expires_at: localToIso(expires),
      }),
    onSuccess: (t) => {
      setCreated(t);
      setError(null);
      setName('');
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => {
      const err = toApiError(e);
      setError({ message: `${err.message} (${err.code})`, fields: err.fields });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.request<void>('DELETE', `/tokens/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const f = error?.fields ?? {};

  return (
    <section aria-label="API tokens">
      <form className="card" onSubmit={submit} data-testid="token-form">
        <h2>New API token</h2>
        {error && (
          <p className="banner banner-error" role="alert">
            {error.message}
          </p>
        )}
        <div className="form-row">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="token-name" />
            {f.name && <span className="field-error">{f.name}</span>}
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="token-role">
              <option value="viewer">viewer</option>
              <option value="api_only">api_only (read cameras and recordings)</option>
              <option value="operator">operator</option>
              <option value="admin">admin</option>
            </select>
          </label>
          <label>
            Requests per minute (empty: unlimited)
            <input inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} />
            {f.rate_limit_per_min && <span className="field-error">{f.rate_limit_per_min}</span>}
          </label>
          <label>
            Expires (empty: never)
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </label>
        </div>
        <CameraScopePicker id="token" value={scope} onChange={setScope} cameras={cameras} />
        {f.cameras && <span className="field-error">{f.cameras}</span>}
        <div className="form-row">
          <button type="submit" className="btn btn-primary" disabled={!name.trim() || create.isPending}>
            Create token
          </button>
        </div>
        {created && (
          <div className="banner" role="status" data-testid="token-secret">
            <CopyField label={`Secret of “${created.token.name}” — shown only now`} value={created.secret} />
          </div>
        )}
      </form>
      <div className="table-wrap">
        <table data-testid="tokens-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Cameras</th>
              <th>Limit</th>
              <th>Expires</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id} data-testid={`token-row-${t.id}`}>
                <td>
                  <strong>{t.name}</strong>
                  <div className="muted">{t.prefix}…</div>
                </td>
                <td>
                  {t.role}
                  <div className="muted">{t.permissions.join(', ')}</div>
                </td>
                <td>{camerasText(t.cameras, cameras)}</td>
                <td>{t.rate_limit_per_min ? `${t.rate_limit_per_min}/min` : '—'}</td>
                <td>{t.expires_at ? new Date(t.expires_at).toLocaleString() : 'never'}</td>
                <td>{t.last_used_at ? new Date(t.last_used_at).toLocaleString() : 'never'}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small btn-danger-text"
                    onClick={() => {
                      if (globalThis.confirm?.(`Revoke ${t.name}? Anything using it stops at once.`) ?? true) {
                        revoke.mutate(t.id);
                      }
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
            {tokens.data?.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No API tokens.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
