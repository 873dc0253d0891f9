// Why: proves the desktop's first run as the person at the PC sees it — the owner's admin account (made without a
// password) is offered a password right in the banner (PATCH /users/{id}), a short one is refused before asking the
// server, and the desk may be locked (and opens locked) only once some enabled account has a password.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import { OwnerBanner, deskAccounts } from './lock';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

type User = components['schemas']['User'];
const user = (over: Partial<User> = {}): User => ({
  id: 1,
  username: 'jane',
  display_name: 'Desk owner',
  role: 'admin',
  cameras: null,
  enabled: true,
  has_password: false,
  created_at: '2026-12-04T00:00:00Z',
  last_login_at: null,
  ...over,
});

function type(sel: string, value: string) {
  const el = host.querySelector(sel) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('the desk owner', () => {
  it('is offered a password while nobody can sign in, and locking waits for one', () => {
    expect(deskAccounts(undefined)).toBeNull();
    expect(deskAccounts([])).toEqual({ none: true, canUnlock: false, ownerWithoutPassword: null });
    const owner = user();
    expect(deskAccounts([owner])).toMatchObject({ none: false, canUnlock: false, ownerWithoutPassword: owner });
    // A disabled account with a password unlocks nothing.
    expect(deskAccounts([owner, user({ id: 2, role: 'operator', has_password: true, enabled: false })])?.canUnlock).toBe(false);
    expect(deskAccounts([owner, user({ id: 2, role: 'operator', has_password: true })])).toMatchObject({
      canUnlock: true,
      ownerWithoutPassword: null,
    });
  });

  it('sets the password from the banner', async () => {
    const request = vi.fn(async () => ({}));
    const api = { request } as unknown as ApiClient;
    const qc = new QueryClient();
    const accounts = deskAccounts([user()])!;
    act(() =>
      root.render(
        <QueryClientProvider client={qc}>
          <OwnerBanner api={api} accounts={accounts} />
        </QueryClientProvider>,
      ),
    );
    expect(host.textContent).toContain('owner account jane (admin) has no password yet');
    type('[data-testid="owner-password"]', 'short');
    await act(async () => (host.querySelector('[data-testid="owner-password-save"]') as HTMLElement).click());
    expect(host.querySelector('[data-testid="owner-password-error"]')?.textContent).toBe('At least 8 characters.');
    expect(request).not.toHaveBeenCalled();
    type('[data-testid="owner-password"]', 'correct horse battery');
    await act(async () => (host.querySelector('[data-testid="owner-password-save"]') as HTMLElement).click());
    expect(request).toHaveBeenCalledWith('PATCH', '/users/1', { password: 'correct horse battery' });
    expect(host.querySelector('[data-testid="owner-password-error"]')).toBeNull();
  });

  it('points to the Users page when the owner could not be made', () => {
    act(() =>
      root.render(
        <QueryClientProvider client={new QueryClient()}>
          <OwnerBanner api={{} as ApiClient} accounts={deskAccounts([])!} />
        </QueryClientProvider>,
      ),
    );
    expect(host.querySelector('a[href="#/users"]')?.textContent).toBe('Create yours');
  });
});
