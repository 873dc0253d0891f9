// Why: a fake ApiClient for the storage component tests — `request` answered by a table of "METHOD /path" handlers, an unknown route failing like the server's 404.
import { vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient, HttpMethod } from '../../api/client';
import type { Lock, StorageView, TierView } from './types';

export type Handler = (body: unknown, path: string) => unknown;

/** `routes` keys are "GET /storage" (the query string is matched too when the key has one). */
export function fakeApi(routes: Record<string, Handler>) {
  const request = vi.fn(async (method: HttpMethod, path: string, body?: unknown) => {
    const bare = path.split('?')[0];
    const h = routes[`${method} ${path}`] ?? routes[`${method} ${bare}`];
    if (!h) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${method} ${bare}`);
    return h(body, path);
  });
  const api = {
    request,
    cameras: {} as ApiClient['cameras'],
    layouts: {} as ApiClient['layouts'],
    alerts: {} as ApiClient['alerts'],
    blob: vi.fn(),
  } as unknown as ApiClient;
  return { api, request };
}

export function tierView(over: Partial<TierView> = {}): TierView {
  return {
    name: 'hot',
    path: '/data/recordings',
    online: true,
    offline_reason: null,
    used_bytes: 3e9,
    segments: 120,
    free_bytes: 60e9,
    capacity_bytes: 100e9,
    reserve_free_bytes: 2e9,
    oldest: '2025-06-01T00:00:00.000Z',
    newest: '2025-06-02T00:00:00.000Z',
    days_until_full: 12.5,
    configured: true,
    archive: false,
    ...over,
  };
}

export function storageView(over: Partial<StorageView> = {}): StorageView {
  return {
    tiers: [tierView()],
    cameras: [{ camera_id: 1, bytes: 3e9, by_tier: { hot: 3e9 }, bitrate_bps: 4_000_000, days_held: 1 }],
    settings: {
      archive: null,
      check_interval: null,
      tiers: [],
      retention: { continuous: null, events: null, event_padding: null, cameras: {} },
    },
    last_pass: null,
    archive_keys_stored: false,
    ...over,
  };
}

export function lockRow(over: Partial<Lock> = {}): Lock {
  const start_ms = over.start_ms ?? Date.parse('2025-06-01T10:00:00.000Z');
  const end_ms = over.end_ms ?? start_ms + 60_000;
  return {
    id: 1,
    camera_id: 1,
    start_ms,
    end_ms,
    start: new Date(start_ms).toISOString(),
    end: new Date(end_ms).toISOString(),
    reason: 'Kept',
    created_at: '2025-06-01T11:00:00.000Z',
    ...over,
  };
}
