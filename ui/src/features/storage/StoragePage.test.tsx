// Why: renders the Storage page in jsdom against a fake API — tier bars, the camera table, a chart that says so when the server has no usage history, maintenance, unlock, the settings form with client and server errors at their fields (the S3 archive's too), and the archive's access keys.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { EventsClient } from '../../api/events';
import { camera } from '../../test/fixtures';
import { StoragePage } from './StoragePage';
import { fakeApi, lockRow, storageView, tierView } from './testApi';
import type { Handler } from './testApi';
import type { Lock, StorageConfig } from './types';

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

const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });
const $ = (sel: string) => host.querySelector(sel);
const click = (sel: string) => act(() => ($(sel) as HTMLElement).click());

function type(sel: string, value: string) {
  const el = $(sel) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(sel: string) {
  await act(async () => {
    ($(sel) as HTMLFormElement).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

function render(routes: Record<string, Handler>) {
  const { api, request } = fakeApi(routes);
  const events = new EventsClient({ url: 'ws://x', token: () => null });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root.render(
      <QueryClientProvider client={qc}>
        <StoragePage api={api} events={events} cameras={[camera({ id: 1, name: 'Front door' })]} />
      </QueryClientProvider>,
    ),
  );
  return { request };
}

describe('StoragePage', () => {
  it('shows the tiers, the cameras, an empty chart when the server has no usage history, and runs a pass', async () => {
    const view = storageView({
      tiers: [
        tierView(),
        tierView({ name: 'nas', path: '/mnt/nas', online: false, offline_reason: 'identity file missing', capacity_bytes: 0, free_bytes: 0, days_until_full: null }),
        tierView({ name: 'archive', path: 's3://footage/vigil', archive: true, capacity_bytes: 0, free_bytes: 0, used_bytes: 5e9, days_until_full: null }),
      ],
      settings: {
        ...storageView().settings,
        archive: { name: null, url: 's3://footage/vigil', endpoint: null, region: null, path_style: null, max_age: '365d' },
      },
      cameras: [{ camera_id: 1, bytes: 3e9, by_tier: { hot: 2e9, nas: 1e9 }, bitrate_bps: 4_000_000, days_held: 1 }],
    });
    const { request } = render({
      'GET /storage': () => view,
      'GET /storage/ops': () => [],
      'GET /locks': () => [],
      'POST /storage/maintenance': () => ({ at: null, moved: 2, deleted: 1, failed: 0, bytes_moved: 2e6, bytes_deleted: 1e6, plan_ms: 3 }),
    });
    await until(() => expect($('[data-testid="tier-hot"]')).not.toBeNull());
    const footage = $('[data-testid="tier-bar-footage-hot"]') as HTMLElement;
    expect(parseFloat(footage.style.width)).toBeCloseTo(3);
    expect(parseFloat(($('[data-testid="tier-reserve-hot"]') as HTMLElement).style.left)).toBeCloseTo(98);
    expect($('[data-testid="tier-full-hot"]')?.textContent).toBe('13 days');
    expect($('[data-testid="tier-nas"]')?.getAttribute('data-online')).toBe('false');
    expect($('[data-testid="tier-offline-nas"]')?.textContent).toContain('identity file missing');
    expect($('[data-testid="tier-archive"]')?.textContent).toContain('object store: no fixed size');
    expect($('[data-testid="tier-archive"]')?.textContent).not.toContain('reserve');
    expect($('[data-testid="settings-archive"]')?.getAttribute('data-enabled')).toBe('true');
    expect(($('#st-archive-url') as HTMLInputElement).value).toBe('s3://footage/vigil');
    expect(($('#st-archive-max_age') as HTMLInputElement).value).toBe('365d');
    expect($('[data-testid="archive-keys-status"]')?.textContent).toBe('No keys stored (AWS environment variables apply)');
    const row = $('[data-testid="camera-usage-1"]')?.textContent ?? '';
    expect(row).toContain('Front door');
    expect(row).toContain('2.0 GB');
    expect(row).toContain('4.0 Mbit/s');
    await until(() => expect($('[data-testid="usage-unavailable"]')).not.toBeNull());
    await until(() => expect($('[data-testid="ops-empty"]')).not.toBeNull());
    expect($('[data-testid="locks-empty"]')).not.toBeNull();

    click('[data-testid="run-maintenance"]');
    await until(() => expect($('[data-testid="maintenance-result"]')?.textContent).toContain('moved 2 (2.0 MB), deleted 1 (1.0 MB)'));
    expect(request).toHaveBeenCalledWith('POST', '/storage/maintenance');
  });

  it('draws usage over time per tier and pages the history with Older', async () => {
    const now = Date.now();
    const ops = Array.from({ length: 75 }, (_, i) => ({
      id: 100 - i,
      at: new Date(now - i * 1000).toISOString(),
      kind: i % 2 ? 'move' : 'delete',
      reason: i % 2 ? 'age' : 'free_space',
      recording_id: i,
      camera_id: 1,
      from_tier: 'hot',
      to_tier: i % 2 ? 'warm' : null,
      bytes: 1e6,
      start: new Date(now - 3_600_000).toISOString(),
      end: new Date(now - 3_000_000).toISOString(),
    }));
    const { request } = render({
      'GET /storage': () => storageView(),
      'GET /locks': () => [],
      'GET /storage/usage': () => ({
        samples: [
          { at: new Date(now - 3 * 3_600_000).toISOString(), tier: 'hot', used_bytes: 1e9, free_bytes: 5e9, capacity_bytes: 10e9 },
          { at: new Date(now - 3_600_000).toISOString(), tier: 'hot', used_bytes: 2e9, free_bytes: 4e9, capacity_bytes: 10e9 },
        ],
      }),
      'GET /storage/ops': (_b, path) => {
        const before = Number(new URLSearchParams(path.split('?')[1]).get('before') ?? 1e9);
        return ops.filter((o) => o.id < before).slice(0, 50);
      },
    });
    await until(() => expect($('[data-testid="usage-series-hot"]')?.getAttribute('data-points')).toBe('2'));
    expect($('[data-testid="usage-chart-svg"] path')?.getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ L[\d.]+ [\d.]+$/);
    expect(String(request.mock.calls.find((c) => String(c[1]).startsWith('/storage/usage'))?.[1])).toMatch(
      /^\/storage\/usage\?since=\d{4}-\d\d-\d\dT/,
    );
    await until(() => expect(host.querySelectorAll('[data-testid="ops-list"] tbody tr')).toHaveLength(50));
    expect($('[data-testid="op-100"]')?.textContent).toContain('free space');
    expect($('[data-testid="op-99"]')?.textContent).toContain('moved hot → warm');
    click('[data-testid="ops-older"]');
    await until(() => expect(host.querySelectorAll('[data-testid="ops-list"] tbody tr')).toHaveLength(75));
    expect(request).toHaveBeenCalledWith('GET', '/storage/ops?limit=50&before=51');
    await until(() => expect($('[data-testid="ops-older"]')).toBeNull());
  });

  it('unlocks after a confirmation', async () => {
    let locks: Lock[] = [lockRow({ id: 7, reason: 'incident 12' })];
    const { request } = render({
      'GET /storage': () => storageView(),
      'GET /storage/ops': () => [],
      'GET /locks': () => locks,
      'DELETE /locks/7': () => {
        locks = [];
        return undefined;
      },
    });
    await until(() => expect($('[data-testid="lock-7"]')?.textContent).toContain('incident 12'));
    click('[data-testid="lock-unlock-7"]');
    click('[data-testid="lock-confirm-7"]');
    await until(() => expect($('[data-testid="lock-7"]')).toBeNull());
    expect(request).toHaveBeenCalledWith('DELETE', '/locks/7');
  });

  it('keeps a span typed by hand', async () => {
    const locks: Lock[] = [];
    const { request } = render({
      'GET /storage': () => storageView(),
      'GET /storage/ops': () => [],
      'GET /locks': () => locks,
      'POST /locks': (body) => {
        const b = body as { camera_id: number; start: number; end: number; reason: string };
        const l = lockRow({ id: 3, camera_id: b.camera_id, start_ms: b.start, end_ms: b.end, reason: b.reason });
        locks.push(l);
        return l;
      },
    });
    await until(() => expect($('[data-testid="keep-span-open"]')).not.toBeNull());
    click('[data-testid="keep-span-open"]');
    type('[data-testid="keep-span-end"]', '');
    await submit('[data-testid="keep-span-form"]');
    expect($('[data-testid="field-error-end"]')?.textContent).toBe('is required: a date and time');
    type('[data-testid="keep-span-start"]', '2025-06-01T10:00:00');
    type('[data-testid="keep-span-end"]', '2025-06-01T10:30:00');
    type('[data-testid="keep-span-reason"]', 'incident 7');
    await submit('[data-testid="keep-span-form"]');
    await until(() => expect($('[data-testid="lock-3"]')?.textContent).toContain('incident 7'));
    expect(request).toHaveBeenCalledWith('POST', '/locks', {
      camera_id: 1,
      start: new Date(2025, 5, 1, 10, 0).getTime(),
      end: new Date(2025, 5, 1, 10, 30).getTime(),
      reason: 'incident 7',
    });
    expect($('[data-testid="keep-span-form"]')).toBeNull();
  });

  it('checks settings before sending, shows server errors at their fields, and saves', async () => {
    let saved: StorageConfig | null = null;
    let refuse = true;
    const { request } = render({
      'GET /storage': () => storageView(),
      'GET /storage/ops': () => [],
      'GET /locks': () => [],
      'PUT /storage': (body) => {
        if (refuse) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'invalid storage settings', {
            fields: { 'tiers[1].path': 'cannot create /hdd: permission denied' },
          });
        }
        saved = body as StorageConfig;
        return storageView({ settings: saved, tiers: [tierView(), tierView({ name: 'warm', path: '/hdd', used_bytes: 0, days_until_full: null })] });
      },
    });
    await until(() => expect($('[data-testid="storage-settings"]')).not.toBeNull());
    expect(($('[data-testid="settings-save"]') as HTMLButtonElement).disabled).toBe(true);
    click('[data-testid="settings-tier-add"]');
    type('#st-tiers-1--max_age', '7 days');
    await submit('[data-testid="storage-settings"]');
    expect($('[data-testid="field-error-tiers[1].path"]')?.textContent).toBe('is required (only the first tier has a default path)');
    expect($('[data-testid="field-error-tiers[1].max_age"]')?.textContent).toBe('"7 days": unknown unit "days" (use s, m, h, d or w)');
    expect($('#st-tiers-1--max_age')?.getAttribute('aria-describedby')).toBe('st-tiers-1--max_age-error');
    expect(request.mock.calls.some((c) => c[0] === 'PUT')).toBe(false);

    type('#st-tiers-1--max_age', '30d');
    type('#st-tiers-1--path', '/hdd');
    expect($('[data-testid="field-error-tiers[1].path"]')).toBeNull();
    await submit('[data-testid="storage-settings"]');
    await until(() => expect($('[data-testid="field-error-tiers[1].path"]')?.textContent).toBe('cannot create /hdd: permission denied'));
    expect($('[data-testid="settings-error"]')?.textContent).toContain('VALIDATION_FAILED');

    refuse = false;
    await submit('[data-testid="storage-settings"]');
    await until(() => expect($('[data-testid="settings-saved"]')).not.toBeNull());
    expect(saved).toEqual({
      archive: null,
      check_interval: null,
      tiers: [
        { name: 'hot', path: null, max_age: null, max_size: null, reserve_free: null },
        { name: 'warm', path: '/hdd', max_age: '30d', max_size: null, reserve_free: null },
      ],
      retention: { continuous: null, events: null, event_padding: null, cameras: {} },
    });
    expect($('[data-testid="storage-settings"]')?.getAttribute('data-dirty')).toBe('false');
  });

  it('edits the S3 archive: checked first, a conflict shown at its URL', async () => {
    let body: StorageConfig | null = null;
    const { request } = render({
      'GET /storage': () => storageView(),
      'GET /storage/ops': () => [],
      'GET /locks': () => [],
      'PUT /storage': (b) => {
        body = b as StorageConfig;
        throw new ApiError(409, 'STORAGE_CONFIG_CONFLICT', 'the archive "archive" holds 3 segments at s3://old; it cannot be removed or pointed elsewhere');
      },
    });
    await until(() => expect($('[data-testid="settings-archive"]')).not.toBeNull());
    expect($('#st-archive-url')).toBeNull();
    click('[data-testid="settings-archive-enabled"]');
    type('#st-archive-url', 'http://x');
    await submit('[data-testid="storage-settings"]');
    expect($('[data-testid="field-error-archive.url"]')?.textContent).toBe('must be s3://bucket or s3://bucket/prefix');
    expect($('#st-archive-url')?.getAttribute('aria-describedby')).toBe('st-archive-url-error');
    expect(request.mock.calls.some((c) => c[0] === 'PUT')).toBe(false);

    type('#st-archive-url', 's3://footage/vigil');
    expect($('[data-testid="field-error-archive.url"]')).toBeNull();
    type('#st-archive-endpoint', 'http://nas.local:9000');
    expect(($('[data-testid="settings-archive-path-style"]') as HTMLInputElement).checked).toBe(true);
    await submit('[data-testid="storage-settings"]');
    await until(() => expect($('[data-testid="field-error-archive.url"]')?.textContent).toContain('cannot be removed or pointed elsewhere'));
    expect(body).toMatchObject({
      archive: { name: null, url: 's3://footage/vigil', endpoint: 'http://nas.local:9000', region: null, path_style: null, max_age: null },
    });
  });

  it('saves and forgets the archive’s access keys, never showing the secret again', async () => {
    let stored = false;
    const { request } = render({
      'GET /storage': () => storageView({ archive_keys_stored: stored }),
      'GET /storage/ops': () => [],
      'GET /locks': () => [],
      'PUT /storage/archive/credentials': () => {
        stored = true;
        return undefined;
      },
      'DELETE /storage/archive/credentials': () => {
        stored = false;
        return undefined;
      },
    });
    await until(() => expect($('[data-testid="archive-keys-status"]')).not.toBeNull());
    expect(($('[data-testid="archive-keys-forget"]') as HTMLButtonElement).disabled).toBe(true);
    expect($('#ak-secret_access_key')?.getAttribute('type')).toBe('password');
    await submit('[data-testid="archive-keys-form"]');
    expect($('[data-testid="field-error-access_key_id"]')?.textContent).toBe('is required');
    expect($('[data-testid="field-error-secret_access_key"]')?.textContent).toBe('must be 1–256 characters');
    expect(request.mock.calls.some((c) => c[0] === 'PUT')).toBe(false);

    type('#ak-access_key_id', ' AKIAEXAMPLE ');
    type('#ak-secret_access_key', 'dummy-secret');
    await submit('[data-testid="archive-keys-form"]');
    await until(() => expect($('[data-testid="archive-keys-status"]')?.textContent).toBe('Keys stored'));
    expect(request).toHaveBeenCalledWith('PUT', '/storage/archive/credentials', {
      access_key_id: 'AKIAEXAMPLE',
      secret_access_key: 'dummy-secret',
    });
    expect(($('#ak-secret_access_key') as HTMLInputElement).value).toBe('');
    expect($('[data-testid="archive-keys-done"]')?.textContent).toContain('Keys saved');

    click('[data-testid="archive-keys-forget"]');
    await until(() => expect($('[data-testid="archive-keys-status"]')?.textContent).toBe('No keys stored (AWS environment variables apply)'));
    expect(request).toHaveBeenCalledWith('DELETE', '/storage/archive/credentials');
  });
});
