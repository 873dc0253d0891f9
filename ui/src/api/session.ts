// Why: a person signed in with a username and password holds a 15-minute access token and a one-use refresh token; this keeps the access token fresh (renewing a minute before it expires, or at once after a 401 — a restarted server forgets access tokens), keeps the pair for the tab in sessionStorage, and says when the session is over.
import { API_PREFIX, ApiError, unwrap } from './client';
import { session } from './connection';
import type { KeyValueStore } from './connection';
import type { components } from './schema';

export type LoginResponse = components['schemas']['LoginResponse'];
export type SignedInUser = components['schemas']['User'];

export const SESSION_KEY = 'vigil.session';

export interface StoredSession {
  access: string;
  refresh: string;
  /** Epoch ms the access token stops working. */
  expiresAt: number;
  username: string;
}

export function loadSession(store: KeyValueStore | null = session()): StoredSession | null {
  const raw = store?.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof s.access === 'string' && typeof s.refresh === 'string' && typeof s.expiresAt === 'number') {
      return { access: s.access, refresh: s.refresh, expiresAt: s.expiresAt, username: String(s.username ?? '') };
    }
  } catch {
    // A damaged entry is no session.
  }
  return null;
}

export function saveSession(s: StoredSession, store: KeyValueStore | null = session()): void {
  store?.setItem(SESSION_KEY, JSON.stringify(s));
}

export function clearSession(store: KeyValueStore | null = session()): void {
  store?.removeItem(SESSION_KEY);
}

function fromResponse(r: LoginResponse, now: number): StoredSession {
  return {
    access: r.access_token,
    refresh: r.refresh_token,
    expiresAt: now + r.expires_in * 1000,
    username: r.user.username,
  };
}

async function post(
  fetchFn: typeof fetch,
  baseUrl: string,
  path: string,
  body: unknown,
): Promise<LoginResponse> {
  let res: Response;
  try {
    res = await fetchFn(`${baseUrl.replace(/\/+$/, '')}${API_PREFIX}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', `Cannot reach the Vigil server: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) throw await ApiError.fromResponse(res);
  return unwrap<LoginResponse>(res);
}

/** Sign in; throws the server's ApiError (AUTH_CREDENTIALS_INVALID, RATE_LIMIT_EXCEEDED…). */
export async function signIn(
  baseUrl: string,
  username: string,
  password: string,
  fetchFn: typeof fetch = (i, init) => globalThis.fetch(i, init),
  now: () => number = Date.now,
): Promise<StoredSession> {
  const r = await post(fetchFn, baseUrl, '/auth/login', { username, password });
  return fromResponse(r, now());
}

export interface KeeperOptions {
  baseUrl: string;
  initial: StoredSession;
  /** A new pair was issued (store it). */
  onChange: (s: StoredSession) => void;
  /** The session is over (refresh refused): sign in again. */
  onExpired: (why: string) => void;
  fetch?: typeof fetch;
  now?: () => number;
  setTimer?: (f: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** Renew a minute before expiry; after a network failure, again in 10 s. */
export const RENEW_BEFORE_MS = 60_000;
export const RETRY_MS = 10_000;

export class SessionKeeper {
  private s: StoredSession;
  private timer: unknown = null;
  private inflight: Promise<boolean> | null = null;
  private stopped = false;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly o: KeeperOptions) {
    this.s = o.initial;
    this.now = o.now ?? Date.now;
    this.fetchFn = o.fetch ?? ((i, init) => globalThis.fetch(i, init));
  }

  /** The current access token. */
  token(): string {
    return this.s.access;
  }

  get username(): string {
    return this.s.username;
  }

  start(): void {
    this.stopped = false;
    this.schedule(Math.max(0, this.s.expiresAt - RENEW_BEFORE_MS - this.now()));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.o.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== null) (this.o.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    const set = this.o.setTimer ?? ((f: () => void, d: number) => setTimeout(f, d));
    this.timer = set(() => {
      this.timer = null;
      void this.renew();
    }, ms);
  }

  /** Spend the refresh token now (once at a time: concurrent callers share the attempt).
   *  True when a new access token is in place. */
  renew(): Promise<boolean> {
    if (this.inflight) return this.inflight;
    const attempt = (async () => {
      try {
        const r = await post(this.fetchFn, this.o.baseUrl, '/auth/refresh', { refresh_token: this.s.refresh });
        this.s = fromResponse(r, this.now());
        this.o.onChange(this.s);
        this.schedule(Math.max(0, this.s.expiresAt - RENEW_BEFORE_MS - this.now()));
        return true;
      } catch (e) {
        const err = e instanceof ApiError ? e : null;
        if (err && err.status === 401) {
          this.stop();
          this.o.onExpired('Your session has ended. Sign in again.');
        } else {
          this.schedule(RETRY_MS);
        }
        return false;
      } finally {
        this.inflight = null;
      }
    })();
    this.inflight = attempt;
    return attempt;
  }
}
