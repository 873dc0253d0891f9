// Why: the security desk is left with an operator and sometimes with nobody — "Lock" (and an idle lock after N minutes) keeps the live grid on screen, read-only, until someone signs in; the desktop window opens locked once people have accounts, so it is not an admin console for whoever walks by.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import './access.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { session } from '../../api/connection';
import { useCamerasState } from '../../api/queries';
import { signInMessage } from '../../components/SignIn';
import { GridPage } from '../grid/GridPage';
import type { components } from '../../api/schema';
import type { LiveConnection } from '../../live/protocol';

const LOCK_KEY = 'vigil.locked';
const IDLE_KEY = 'vigil.idleLockMinutes';
const DESKTOP_CHECKED = 'vigil.desktopLockChecked';

export function readLocked(): boolean {
  return session()?.getItem(LOCK_KEY) === '1';
}

export function writeLocked(v: boolean): void {
  if (v) session()?.setItem(LOCK_KEY, '1');
  else session()?.removeItem(LOCK_KEY);
}

export const IDLE_CHOICES = [0, 5, 15, 30, 60] as const;

/** The idle-lock minutes of this desk (0: never), kept in localStorage. */
export function useIdleLockSetting(): [number, (m: number) => void] {
  const [m, setM] = useState(() => {
    const v = Number(globalThis.localStorage?.getItem(IDLE_KEY) ?? 0);
    return (IDLE_CHOICES as readonly number[]).includes(v) ? v : 0;
  });
  const set = useCallback((v: number) => {
    globalThis.localStorage?.setItem(IDLE_KEY, String(v));
    setM(v);
  }, []);
  return [m, set];
}

/** Whether `idleMs` of no input since `lastInput` means the desk locks. */
export function idleExpired(lastInput: number, now: number, minutes: number): boolean {
  return minutes > 0 && now - lastInput >= minutes * 60_000;
}

/** Lock after `minutes` without a key, a click, a touch or the wheel (0: never). */
export function useIdleLock(minutes: number, onLock: () => void): void {
  const last = useRef(Date.now());
  useEffect(() => {
    if (minutes <= 0) return;
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    const t = setInterval(() => {
      if (idleExpired(last.current, Date.now(), minutes)) onLock();
    }, 5_000);
    return () => {
      clearInterval(t);
      for (const e of events) window.removeEventListener(e, touch);
    };
  }, [minutes, onLock]);
}

type User = components['schemas']['User'];
const DESK_USERS = ['users', 'desk'] as const;

/** What the desktop window (running as its admin token) knows about the accounts. */
export interface DeskAccounts {
  /** Nobody has an account (the desktop could not create the owner's). */
  none: boolean;
  /** Someone can sign in (an enabled account with a password): the desk may be locked. */
  canUnlock: boolean;
  /** The owner's admin account the desktop created, while nobody has a password yet. */
  ownerWithoutPassword: User | null;
}

/** Read the accounts as the desktop sees them: `null` until known, or when not the desktop's admin token. */
export function deskAccounts(users: User[] | undefined): DeskAccounts | null {
  if (!users) return null;
  const canUnlock = users.some((u) => u.enabled && u.has_password);
  const owner = canUnlock ? null : (users.find((u) => u.enabled && u.role === 'admin' && !u.has_password) ?? null);
  return { none: users.length === 0, canUnlock, ownerWithoutPassword: owner };
}

/** On the desktop with its admin token: lock at start once someone can sign in to unlock it. */
export function useDesktopStartsLocked(api: ApiClient, desktop: boolean, kind: string | null, onLock: () => void): DeskAccounts | null {
  const asAdminToken = desktop && kind === 'admin_token';
  const users = useQuery({
    queryKey: DESK_USERS,
    queryFn: () => api.request<User[]>('GET', '/users'),
    enabled: asAdminToken,
  });
  const accounts = asAdminToken ? deskAccounts(users.data) : null;
  const canUnlock = accounts?.canUnlock ?? false;
  useEffect(() => {
    if (!asAdminToken || !users.data || session()?.getItem(DESKTOP_CHECKED) === '1') return;
    session()?.setItem(DESKTOP_CHECKED, '1');
    if (canUnlock) onLock();
  }, [asAdminToken, users.data, canUnlock, onLock]);
  return accounts;
}

/** The desktop's first run: the owner's account exists without a password (or, if it could not be
 * made, nobody's does). Offers to set the password right here. */
export function OwnerBanner({ api, accounts }: { api: ApiClient; accounts: DeskAccounts }) {
  const qc = useQueryClient();
  const owner = accounts.ownerWithoutPassword;
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!owner) {
    return (
      <p className="banner owner-banner" role="status" data-testid="owner-banner">
        Nobody has an account on this Vigil yet. <a href="#/users">Create yours</a> (role admin, with a password): then the
        desk can be locked, and others sign in with their own accounts from this PC or another.
      </p>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 8) {
      setError('At least 8 characters.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.request('PATCH', `/users/${owner.id}`, { password });
      setPassword('');
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(signInMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="banner owner-banner" role="status" data-testid="owner-banner" onSubmit={submit}>
      <span>
        This PC’s owner account <strong>{owner.username}</strong> (admin) has no password yet. Set one to lock the desk
        and to sign in from another PC:
      </span>
      <input
        type="password"
        aria-label="New password"
        placeholder="New password (8+ characters)"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="owner-password"
      />
      <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="owner-password-save">
        Set password
      </button>
      {error && (
        <span className="banner-error" role="alert" data-testid="owner-password-error">
          {error}
        </span>
      )}
    </form>
  );
}

interface LockedProps {
  api: ApiClient;
  live: LiveConnection;
  onUnlock: (username: string, password: string) => Promise<void>;
}

export function LockedDesk({ api, live, onUnlock }: LockedProps) {
  const cams = useCamerasState(api);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onUnlock(username.trim(), password);
    } catch (err) {
      setError(signInMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="app locked-desk" data-testid="locked-desk">
      <form className="locked-bar" onSubmit={submit} data-testid="unlock-form">
        <strong className="locked-title">Locked — live view only</strong>
        {error && (
          <span className="banner banner-error" role="alert" data-testid="unlock-error">
            {error}
          </span>
        )}
        <input
          aria-label="Username"
          placeholder="Username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="unlock-username"
          autoFocus
        />
        <input
          aria-label="Password"
          placeholder="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="unlock-password"
        />
        <button type="submit" className="btn btn-primary" disabled={busy || !username.trim() || !password} data-testid="unlock-submit">
          Unlock
        </button>
      </form>
      {/* Watching goes on; nothing on the grid can be changed or opened while locked. */}
      <div inert className="locked-grid">
        <GridPage api={api} conn={live} cameras={cams.loading ? null : cams.cameras} />
      </div>
    </div>
  );
}
