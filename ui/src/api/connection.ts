// Why: decides where the API is and which token to use — from the Tauri shell on the desktop, from the user in a browser.
import { invoke } from '@tauri-apps/api/core';

export const TOKEN_KEY = 'vigil.token';

export interface Connection {
  /** Origin of the Vigil server, e.g. http://127.0.0.1:7878. */
  baseUrl: string;
  token: string | null;
  /** True inside the Tauri desktop window, where the shell hands over the token. */
  desktop: boolean;
}

/** Tauri injects `__TAURI_INTERNALS__`; checked by name so nothing clashes with its `window.isTauri`. */
export function inTauri(w: object = globalThis): boolean {
  return '__TAURI_INTERNALS__' in w;
}

interface ConnectionInfo {
  url: string;
  token: string;
}

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function session(): KeyValueStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // Storage disabled (privacy mode): the token lives in memory only.
  }
}

export function readStoredToken(store: KeyValueStore | null = session()): string | null {
  const t = store?.getItem(TOKEN_KEY)?.trim();
  return t ? t : null;
}

export function storeToken(token: string, store: KeyValueStore | null = session()): void {
  store?.setItem(TOKEN_KEY, token.trim());
}

export function clearStoredToken(store: KeyValueStore | null = session()): void {
  store?.removeItem(TOKEN_KEY);
}

/**
 * Take `#token=...` from the URL once: return it and strip it from the address bar so it is
 * not left in history or shared by accident. Other fragment parameters, and a route before them
 * (`#/alerts?token=...`), are kept.
 */
export function takeTokenFromHash(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location,
  hist: Pick<History, 'replaceState' | 'state'> = history,
): string | null {
  if (!loc.hash || loc.hash.length < 2) return null;
  const body = loc.hash.slice(1);
  const q = body.indexOf('?');
  const routed = body.startsWith('/');
  const route = routed ? (q >= 0 ? body.slice(0, q) : body) : '';
  const params = new URLSearchParams(routed ? (q >= 0 ? body.slice(q + 1) : '') : body);
  if (!params.has('token')) return null;
  const token = params.get('token')?.trim();
  params.delete('token');
  const rest = params.toString();
  const hash = route + (rest ? `${route ? '?' : ''}${rest}` : '');
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}${hash ? `#${hash}` : ''}`);
  return token ? token : null;
}

/** Work out the API base and token for this window. */
export async function resolveConnection(): Promise<Connection> {
  if (inTauri()) {
    const info = await invoke<ConnectionInfo>('connection_info');
    return { baseUrl: info.url.replace(/\/+$/, ''), token: info.token, desktop: true };
  }
  const fromHash = takeTokenFromHash();
  if (fromHash) storeToken(fromHash);
  return { baseUrl: location.origin, token: fromHash ?? readStoredToken(), desktop: false };
}
