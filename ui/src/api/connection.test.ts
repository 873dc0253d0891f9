// Why: proves the browser token flow — #token= is taken once and scrubbed, sessionStorage round-trips, Tauri is detected.
import { describe, expect, it, vi } from 'vitest';
import { TOKEN_KEY, clearStoredToken, inTauri, readStoredToken, storeToken, takeTokenFromHash } from './connection';

describe('takeTokenFromHash', () => {
  it('returns the token and removes it from the URL, keeping other fragment params', () => {
    const hist = { state: null, replaceState: vi.fn() };
    const t = takeTokenFromHash({ hash: '#token=abc123&view=grid', pathname: '/ui/', search: '?x=1' }, hist);
    expect(t).toBe('abc123');
    expect(hist.replaceState).toHaveBeenCalledWith(null, '', '/ui/?x=1#view=grid');
  });

  it('keeps a route in front of the parameters', () => {
    const hist = { state: null, replaceState: vi.fn() };
    expect(takeTokenFromHash({ hash: '#/alerts?token=t1', pathname: '/', search: '' }, hist)).toBe('t1');
    expect(hist.replaceState).toHaveBeenLastCalledWith(null, '', '/#/alerts');
    expect(takeTokenFromHash({ hash: '#/timeline?camera=2&token=t2&at=5', pathname: '/', search: '' }, hist)).toBe('t2');
    expect(hist.replaceState).toHaveBeenLastCalledWith(null, '', '/#/timeline?camera=2&at=5');
    expect(takeTokenFromHash({ hash: '#/live', pathname: '/', search: '' }, hist)).toBeNull();
  });

  it('leaves the URL alone when there is no token', () => {
    const hist = { state: null, replaceState: vi.fn() };
    expect(takeTokenFromHash({ hash: '#view=grid', pathname: '/', search: '' }, hist)).toBeNull();
    expect(takeTokenFromHash({ hash: '', pathname: '/', search: '' }, hist)).toBeNull();
    expect(hist.replaceState).not.toHaveBeenCalled();
  });
});

describe('token storage and Tauri detection', () => {
  it('stores, reads and clears the token in sessionStorage', () => {
    storeToken('  t0k  ');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('t0k');
    expect(readStoredToken()).toBe('t0k');
    clearStoredToken();
    expect(readStoredToken()).toBeNull();
  });

  it('detects the Tauri webview by __TAURI_INTERNALS__', () => {
    expect(inTauri({})).toBe(false);
    expect(inTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
    expect(inTauri(window)).toBe(false);
  });
});
