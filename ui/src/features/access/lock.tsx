// Why: the security desk is left with an operator and sometimes with nobody — "Lock" (and an idle lock after N minutes) keeps the live grid on screen, read-only, until someone signs in; the desktop window opens locked once people have accounts, so it is not an admin console for whoever walks by.
import { useQuery } from '@tanstack/react-query';
import './access.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { session } from '../../api/connection';
import { useCamerasState } from '../../api/queries';
import { signInMessage } from '../../components/SignIn';
import { GridPage } from '../grid/GridPage';
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

/** On the desktop with its admin token: lock at start once people have accounts. Returns whether
 * nobody has an account yet (the window then offers to create the owner's). */
export function useDesktopStartsLocked(api: ApiClient, desktop: boolean, kind: string | null, onLock: () => void): boolean {
  const asAdminToken = desktop && kind === 'admin_token';
  const users = useQuery({
    queryKey: ['users', 'exist'],
    queryFn: () => api.request<unknown[]>('GET', '/users'),
    enabled: asAdminToken,
  });
  useEffect(() => {
    if (!asAdminToken || !users.data || session()?.getItem(DESKTOP_CHECKED) === '1') return;
    session()?.setItem(DESKTOP_CHECKED, '1');
    if (users.data.length > 0) onLock();
  }, [asAdminToken, users.data, onLock]);
  return asAdminToken && users.data?.length === 0;
}

export function OwnerBanner() {
  return (
    <p className="banner owner-banner" role="status" data-testid="owner-banner">
      Nobody has an account on this Vigil yet. <a href="#/users">Create yours</a> (role admin, with a password): then the
      desk can be locked, and others sign in with their own accounts from this PC or another.
    </p>
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
