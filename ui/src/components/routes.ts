// Why: the app's pages live in the URL fragment (#/live, #/timeline?camera=&at=, #/cameras, #/alerts?alert=, #/review, #/storage, #/system, #/users, #/tokens, #/audit, #/notifications) so reloads, links from alerts and the desktop webview all land on the same page.
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'live' }
  | { page: 'timeline'; cameraId: number | null; at: number | null }
  | { page: 'cameras' }
  | { page: 'alerts'; alertId: number | null }
  | { page: 'review' }
  | { page: 'storage' }
  | { page: 'system' }
  | { page: 'users' }
  | { page: 'tokens' }
  | { page: 'audit' }
  | { page: 'notifications' };
export type Page = Route['page'];

export const PAGES: readonly { page: Page; label: string }[] = [
  { page: 'live', label: 'Live' },
  { page: 'timeline', label: 'Timeline' },
  { page: 'cameras', label: 'Cameras' },
  { page: 'alerts', label: 'Alerts' },
  { page: 'review', label: 'Review' },
  { page: 'storage', label: 'Storage' },
  { page: 'system', label: 'System' },
  // The three admin pages share one entry (tabs inside): Users, Tokens, Audit.
  { page: 'users', label: 'Access' },
];

function intParam(p: URLSearchParams, key: string): number | null {
  const v = p.get(key);
  if (v === null || !/^-?\d+$/.test(v.trim())) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/** The page a fragment names; anything unknown (or empty) is the live grid. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const path = (q >= 0 ? body.slice(0, q) : body).replace(/^\/+|\/+$/g, '').toLowerCase();
  const params = new URLSearchParams(q >= 0 ? body.slice(q + 1) : '');
  switch (path) {
    case 'timeline':
      return { page: 'timeline', cameraId: intParam(params, 'camera'), at: intParam(params, 'at') };
    case 'cameras':
      return { page: 'cameras' };
    case 'alerts':
      return { page: 'alerts', alertId: intParam(params, 'alert') };
    case 'review':
      return { page: 'review' };
    case 'storage':
      return { page: 'storage' };
    case 'system':
      return { page: 'system' };
    case 'users':
      return { page: 'users' };
    case 'tokens':
      return { page: 'tokens' };
    case 'audit':
      return { page: 'audit' };
    case 'notifications':
      return { page: 'notifications' };
    default:
      return { page: 'live' };
  }
}

export function routeHash(r: Route): string {
  if (r.page === 'alerts') return r.alertId !== null ? `#/alerts?alert=${r.alertId}` : '#/alerts';
  if (r.page !== 'timeline') return `#/${r.page}`;
  const p = new URLSearchParams();
  if (r.cameraId !== null) p.set('camera', String(r.cameraId));
  if (r.at !== null) p.set('at', String(Math.round(r.at)));
  const s = p.toString();
  return `#/timeline${s ? `?${s}` : ''}`;
}

export function timelineHash(cameraId: number, at: number): string {
  return routeHash({ page: 'timeline', cameraId, at });
}

export function navigate(r: Route, replace = false): void {
  const hash = routeHash(r);
  if (location.hash === hash) return;
  if (replace) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The current route, re-rendering on every fragment change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  // Parsed per render: cheap, and the result's identity does not matter to callers.
  return parseRoute(hash);
}
