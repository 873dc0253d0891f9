// Why: the admin adds people (username, role, which cameras, a first password), changes their role or cameras, resets a forgotten password, disables someone who left, or deletes them — each refusal (a taken name, a short password, the last admin) shown at its field.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';
import { CameraScopePicker, camerasText } from './AccessPage';

export type User = components['schemas']['User'];
type UserRole = components['schemas']['UserRole'];

export const USERS_KEY = ['users'] as const;

const ROLES: { role: UserRole; label: string }[] = [
  { role: 'viewer', label: 'Viewer — live and playback' },
  { role: 'operator', label: 'Operator — also export, acknowledge, bookmarks, locks' },
  { role: 'admin', label: 'Admin — everything' },
];

interface Draft {
  username: string;
  displayName: string;
  password: string;
  role: UserRole;
  cameras: number[] | null;
}

const EMPTY: Draft = { username: '', displayName: '', password: '', role: 'viewer', cameras: null };

function draftOf(u: User): Draft {
  return {
    username: u.username,
    displayName: u.display_name ?? '',
    password: '',
    role: u.role,
    cameras: u.cameras ?? null,
  };
}

interface Props {
  api: ApiClient;
  cameras: readonly Camera[];
}

export function UsersTab({ api, cameras }: Props) {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => api.request<User[]>('GET', '/users') });
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = (msg: string) => {
    setEditing(null);
    setError(null);
    setNotice(msg);
    void qc.invalidateQueries({ queryKey: USERS_KEY });
  };
  const fail = (e: unknown) => {
    const err = toApiError(e);
    setError({ message: `${err.message} (${err.code})`, fields: err.fields });
  };

  const save = useMutation({
    mutationFn: async (d: Draft) => {
      if (editing === 'new') {
        return api.request<User>('POST', '/users', {
          username: d.username.trim(),
          display_name: d.displayName.trim() || null,
          password: d.password,
          role: d.role,
          cameras: d.cameras,
        });
      }
      const body: Record<string, unknown> = {
        username: d.username.trim(),
        display_name: d.displayName.trim() || null,
        role: d.role,
        cameras: d.cameras,
      };
      if (d.password) body.password = d.password;
      return api.request<User>('PATCH', `/users/${editing}`, body);
    },
    onSuccess: (u) => done(editing === 'new' ? `Added ${u.username}.` : `Saved ${u.username}.`),
    onError: fail,
  });
  const setEnabled = useMutation({
    mutationFn: (u: User) => api.request<User>('PATCH', `/users/${u.id}`, { enabled: !u.enabled }),
    onSuccess: (u) => done(`${u.username} is ${u.enabled ? 'enabled' : 'disabled'}.`),
    onError: (e) => setNotice(toApiError(e).message),
  });
  const remove = useMutation({
    mutationFn: (u: User) => api.request<void>('DELETE', `/users/${u.id}`).then(() => u),
    onSuccess: (u) => done(`Deleted ${u.username}.`),
    onError: (e) => setNotice(toApiError(e).message),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  const f = error?.fields ?? {};
  const form = editing !== null && (
    <form className="card" onSubmit={submit} data-testid="user-form">
      <h2>{editing === 'new' ? 'Add a user' : `Edit ${draft.username}`}</h2>
      {error && (
        <p className="banner banner-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-row">
        <label>
          Username
          <input
            value={draft.username}
            onChange={(e) => setDraft({ ...draft, username: e.target.value })}
            autoComplete="off"
            data-testid="user-username"
          />
          {f.username && <span className="field-error">{f.username}</span>}
        </label>
        <label>
          Display name
          <input value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} />
        </label>
        <label>
          {editing === 'new' ? 'Password' : 'New password (leave empty to keep)'}
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            data-testid="user-password"
          />
          {f.password && <span className="field-error">{f.password}</span>}
        </label>
        <label>
          Role
          <select
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as UserRole })}
            data-testid="user-role"
          >
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <CameraScopePicker id="user" value={draft.cameras} onChange={(cameras) => setDraft({ ...draft, cameras })} cameras={cameras} />
      {f.cameras && <span className="field-error">{f.cameras}</span>}
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="user-save">
          {editing === 'new' ? 'Add user' : 'Save'}
        </button>
        <button type="button" className="btn" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </div>
    </form>
  );

  return (
    <section aria-label="Users">
      {notice && (
        <p className="banner" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      {editing === null && (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            setDraft(EMPTY);
            setError(null);
            setEditing('new');
          }}
          data-testid="user-add"
        >
          Add user
        </button>
      )}
      {form}
      {users.error && <p className="banner banner-error">{toApiError(users.error).message}</p>}
      <div className="table-wrap">
        <table data-testid="users-table">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Cameras</th>
              <th>Last sign-in</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id} className={u.enabled ? '' : 'is-disabled'} data-testid={`user-row-${u.username}`}>
                <td>
                  <strong>{u.username}</strong>
                  {u.display_name && <div className="muted">{u.display_name}</div>}
                  {!u.enabled && <div className="muted">disabled</div>}
                  {!u.has_password && <div className="muted">no password yet</div>}
                </td>
                <td>{u.role}</td>
                <td>{camerasText(u.cameras, cameras)}</td>
                <td>{u.last_login_at ? new Date(u.last_login_at).toLocaleString() : 'never'}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setDraft(draftOf(u));
                      setError(null);
                      setEditing(u.id);
                    }}
                  >
                    Edit
                  </button>{' '}
                  <button type="button" className="btn btn-small" onClick={() => setEnabled.mutate(u)}>
                    {u.enabled ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button
                    type="button"
                    className="btn btn-small btn-danger-text"
                    onClick={() => {
                      if (globalThis.confirm?.(`Delete ${u.username}? The audit log keeps their name.`) ?? true) {
                        remove.mutate(u);
                      }
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {users.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No users yet: add one, or sign in with the admin token as now.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
