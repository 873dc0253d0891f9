// Why: proves the signed-in session's lifecycle — renewal a minute before expiry, one refresh at a time, the session ending when the server refuses the refresh token, retrying after a network failure, and the pair surviving a reload of the tab.
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { RENEW_BEFORE_MS, RETRY_MS, SessionKeeper, clearSession, loadSession, saveSession, signIn } from './session';
import type { StoredSession } from './session';

const user = { id: 1, username: 'alice', role: 'operator', cameras: null, enabled: true, has_password: true, created_at: '', last_login_at: null, display_name: null };

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function ok(access: string, refresh: string) {
  return reply(200, { success: true, data: { access_token: access, refresh_token: refresh, expires_in: 900, user } });
}

const initial: StoredSession = { access: 'vga_1', refresh: 'vgr_1', expiresAt: 900_000, username: 'alice' };

describe('signIn', () => {
  it('keeps the pair and when the access token expires', async () => {
    const f = vi.fn(async () => ok('vga_a', 'vgr_a'));
    const s = await signIn('http://h:1/', 'alice', 'pw', f as unknown as typeof fetch, () => 1000);
    expect(s).toEqual({ access: 'vga_a', refresh: 'vgr_a', expiresAt: 901_000, username: 'alice' });
    expect(f).toHaveBeenCalledWith('http://h:1/api/v1/auth/login', expect.objectContaining({ method: 'POST' }));
  });

  it("throws the server's refusal", async () => {
    const f = vi.fn(async () =>
      reply(401, { success: false, error: { code: 'AUTH_CREDENTIALS_INVALID', message: 'wrong username or password' } }),
    );
    await expect(signIn('http://h', 'a', 'b', f as unknown as typeof fetch)).rejects.toMatchObject({
      code: 'AUTH_CREDENTIALS_INVALID',
      status: 401,
    });
  });
});

describe('SessionKeeper', () => {
  function keeper(fetchImpl: () => Promise<Response>, now = 0) {
    const timers: { f: () => void; ms: number }[] = [];
    const changes: StoredSession[] = [];
    const expired: string[] = [];
    const k = new SessionKeeper({
      baseUrl: 'http://h',
      initial,
      onChange: (s) => changes.push(s),
      onExpired: (w) => expired.push(w),
      fetch: vi.fn(fetchImpl) as unknown as typeof fetch,
      now: () => now,
      setTimer: (f, ms) => timers.push({ f, ms }),
      clearTimer: () => undefined,
    });
    return { k, timers, changes, expired };
  }

  it('renews a minute before expiry and schedules the next renewal', async () => {
    const { k, timers, changes } = keeper(async () => ok('vga_2', 'vgr_2'));
    k.start();
    expect(timers[0]?.ms).toBe(900_000 - RENEW_BEFORE_MS);
    expect(await k.renew()).toBe(true);
    expect(k.token()).toBe('vga_2');
    expect(changes[0]?.refresh).toBe('vgr_2');
    expect(timers.at(-1)?.ms).toBe(900_000 - RENEW_BEFORE_MS);
  });

  it('shares one refresh between concurrent callers (a refresh token is good once)', async () => {
    let calls = 0;
    const { k } = keeper(async () => {
      calls += 1;
      return ok('vga_3', 'vgr_3');
    });
    const [a, b] = await Promise.all([k.renew(), k.renew()]);
    expect(a && b).toBe(true);
    expect(calls).toBe(1);
  });

  it('ends the session when the refresh is refused', async () => {
    const { k, expired } = keeper(async () =>
      reply(401, { success: false, error: { code: 'AUTH_REFRESH_INVALID', message: 'sign in again' } }),
    );
    expect(await k.renew()).toBe(false);
    expect(expired).toHaveLength(1);
  });

  it('retries later when the server cannot be reached', async () => {
    const { k, timers, expired } = keeper(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await k.renew()).toBe(false);
    expect(expired).toHaveLength(0);
    expect(timers.at(-1)?.ms).toBe(RETRY_MS);
  });
});

describe('stored session', () => {
  it('round-trips in sessionStorage and ignores damage', () => {
    saveSession(initial);
    expect(loadSession()).toEqual(initial);
    sessionStorage.setItem('vigil.session', '{nope');
    expect(loadSession()).toBeNull();
    clearSession();
    expect(loadSession()).toBeNull();
    expect(new ApiError(401, 'AUTH_REFRESH_INVALID', 'x').isUnauthorized).toBe(true);
  });
});
