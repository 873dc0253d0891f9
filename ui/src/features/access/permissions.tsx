// Why: what the signed-in caller may do decides which pages show and which page says "not for you" — from GET /auth/me (the server refuses anyway; hiding is so nobody is shown what they cannot use).
import { useQuery } from '@tanstack/react-query';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import type { Page } from '../../components/routes';

export type Permission = components['schemas']['Permission'];
export type Me = components['schemas']['Me'];

export const ME_KEY = ['auth', 'me'] as const;

export function useMe(api: ApiClient) {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => api.request<Me>('GET', '/auth/me'),
    staleTime: 60_000,
  });
}

/** The permission each page needs (the routes it cannot work without). */
export const PAGE_NEEDS: Record<Page, Permission> = {
  live: 'stream:view',
  timeline: 'recording:read',
  cameras: 'camera:write',
  alerts: 'camera:read',
  review: 'recording:read',
  storage: 'storage:admin',
  system: 'camera:read',
  users: 'admin',
  tokens: 'admin',
  audit: 'admin',
  notifications: 'admin',
};

export function has(perms: readonly Permission[], p: Permission): boolean {
  return perms.includes(p) || perms.includes('admin');
}

/** Pages shown while the caller's permissions are still loading: what every role may use (the
 * admin pages appear once the server says so, instead of flashing for an operator). */
const WHILE_LOADING: readonly Page[] = ['live', 'timeline', 'alerts', 'review', 'system'];

/** Whether the caller may open `page`. */
export function pageAllowed(
  page: Page,
  perms: readonly Permission[] | null,
): { ok: true } | { ok: false; need: Permission } {
  if (perms === null) return WHILE_LOADING.includes(page) ? { ok: true } : { ok: false, need: PAGE_NEEDS[page] };
  const need = PAGE_NEEDS[page];
  return has(perms, need) ? { ok: true } : { ok: false, need };
}

export function NoAccess({ need }: { need: Permission }) {
  return (
    <main className="page centered" data-testid="no-access">
      <div className="card signin-card">
        <h2>Not available to you</h2>
        <p className="muted">
          This page needs the <code>{need}</code> permission, which your account does not have. An admin can change
          your role on the Access page.
        </p>
        <a className="btn" href="#/live">
          Back to live view
        </a>
      </div>
    </main>
  );
}
