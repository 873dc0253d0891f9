// Why: renders the alert widget in jsdom against a fake API — lists alerts, sends the filters as query parameters, acknowledges and shows it, links to the timeline, keeps its footage.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { Alert, AlertQuery } from '../../api/types';
import { alertFixture, camera } from '../../test/fixtures';
import type { Lock, LockInput } from '../storage/types';
import { AlertWidget } from './AlertWidget';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const base: Alert = alertFixture({
  id: 5,
  type: 'detection',
  severity: 'warning',
  event_id: 3,
  message: 'Person detected at Front door',
  details: { label: 'person' },
  labels: { person: 1 },
});

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

describe('AlertWidget', () => {
  it('lists, filters through the API, acknowledges and links to the timeline', async () => {
    let acked = false;
    const list = vi.fn(async (q: AlertQuery) => {
      const a = { ...base, acknowledged: acked, acknowledged_by: acked ? 'admin' : null };
      const hit = !q.severity || q.severity === a.severity;
      return { alerts: hit ? [a] : [], unacknowledged: acked ? 0 : 1 };
    });
    const acknowledge = vi.fn(async () => {
      acked = true;
      return { ...base, acknowledged: true, acknowledged_by: 'admin', acknowledged_at: '2025-06-01T10:01:00.000Z' };
    });
    const locks: Lock[] = [];
    const request = vi.fn(async (method: string, path: string, body?: LockInput) => {
      if (method === 'GET' && path === '/locks') return locks;
      if (method === 'POST' && path === '/locks' && body) {
        const lock: Lock = {
          id: 1,
          camera_id: body.camera_id,
          start_ms: Number(body.start),
          end_ms: Number(body.end),
          start: '',
          end: '',
          reason: body.reason ?? '',
          created_at: '2025-06-01T10:02:00.000Z',
        };
        locks.push(lock);
        return lock;
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    const api = { alerts: { list, acknowledge }, request, blob: vi.fn() } as unknown as ApiClient;
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    act(() =>
      root.render(
        <QueryClientProvider client={qc}>
          <AlertWidget api={api} cameras={[camera({ id: 1, name: 'Front door' })]} />
        </QueryClientProvider>,
      ),
    );
    await until(() => expect($('[data-testid="alert-5"]')).not.toBeNull());
    expect($('[data-testid="alert-open-count"]')?.textContent).toBe('1 unacknowledged');
    // Detection alerts open the timeline 5 s before they were raised.
    expect($('[data-testid="alert-timeline-5"]')?.getAttribute('href')).toBe(
      `#/timeline?camera=1&at=${Date.parse(base.created_at) - 5000}`,
    );

    const sev = $('[data-testid="alert-filter-severity"]') as HTMLSelectElement;
    act(() => {
      sev.value = 'critical';
      sev.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => expect($('[data-testid="alert-empty"]')).not.toBeNull());
    expect(list).toHaveBeenLastCalledWith({ limit: 100, severity: 'critical' });
    act(() => {
      sev.value = '';
      sev.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => expect($('[data-testid="alert-ack-5"]')).not.toBeNull());

    act(() => ($('[data-testid="alert-ack-5"]') as HTMLButtonElement).click());
    await until(() => expect($('[data-testid="alert-5"]')?.getAttribute('data-acknowledged')).toBe('true'));
    expect(acknowledge).toHaveBeenCalledWith(5);
    expect($('[data-testid="alert-acked-5"]')?.textContent).toContain('by admin');
    await until(() => expect($('[data-testid="alert-open-count"]')?.textContent).toBe('0 unacknowledged'));

    // Keep: a reason prefilled from the alert, a lock around it, then a Kept badge.
    act(() => ($('[data-testid="alert-keep-5"]') as HTMLButtonElement).click());
    expect(($('[data-testid="alert-keep-5-reason"]') as HTMLInputElement).value).toBe('Detection: Person detected at Front door');
    await act(async () => {
      $('[data-testid="alert-keep-5-form"]')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await until(() => expect($('[data-testid="alert-keep-5-kept"]')).not.toBeNull());
    const raised = Date.parse(base.created_at);
    expect(request).toHaveBeenCalledWith('POST', '/locks', {
      camera_id: 1,
      start: raised - 5000 - 30_000,
      end: raised + 30_000,
      reason: 'Detection: Person detected at Front door',
    });
  });

  it('acknowledges every shown alert in one call', async () => {
    let acked = false;
    const shown = [
      alertFixture({ id: 1, type: 'detection', severity: 'warning', count: 3, labels: { person: 2, car: 1 }, message: '3 objects at Front door' }),
      alertFixture({ id: 2, resolved_at: '2025-06-01T10:02:14.000Z' }),
    ];
    const offline = alertFixture({ id: 3, message: 'Gate is offline' });
    // The server's answer to each query: the pinned one asks for criticals still holding.
    const list = vi.fn(async (q: AlertQuery) => {
      const all = [...shown, offline].map((a) => ({ ...a, acknowledged: acked }));
      const hit = all.filter(
        (a) =>
          (!q.severity || a.severity === q.severity) &&
          (q.resolved === undefined || Boolean(a.ended_at ?? a.resolved_at) === q.resolved) &&
          (q.acknowledged === undefined || a.acknowledged === q.acknowledged),
      );
      return { alerts: hit, unacknowledged: acked ? 0 : 3 };
    });
    const acknowledgeMany = vi.fn(async () => {
      acked = true;
      return { acknowledged: 3, ids: [3, 1, 2] };
    });
    const api = { alerts: { list, acknowledge: vi.fn(), acknowledgeMany }, request: vi.fn(async () => []), blob: vi.fn() } as unknown as ApiClient;
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    act(() =>
      root.render(
        <QueryClientProvider client={qc}>
          <AlertWidget api={api} cameras={[camera({ id: 1, name: 'Front door' })]} />
        </QueryClientProvider>,
      ),
    );
    await until(() => expect($('[data-testid="alert-ack-shown"]')).not.toBeNull());
    // The camera still offline comes first, pinned, although the list is newest first; once.
    const order = () => [...host.querySelectorAll('[data-testid="alert-list"] > li')].map((li) => li.getAttribute('data-testid'));
    await until(() => expect(order()).toEqual(['alert-3', 'alert-1', 'alert-2']));
    expect($('[data-testid="alert-3"]')?.getAttribute('data-pinned')).toBe('true');
    expect($('[data-testid="alert-2"]')?.getAttribute('data-pinned')).toBeNull();
    // An incident shows its objects; a cleared condition how long it held.
    expect($('[data-testid="alert-count-1"]')?.textContent).toBe('3 objects · 2 person, 1 car');
    expect($('[data-testid="alert-span-2"]')?.textContent).toBe('cleared after 2 min 14 s');
    expect($('[data-testid="alert-ack-shown"]')?.textContent).toBe('Acknowledge all shown (3)');
    act(() => ($('[data-testid="alert-ack-shown"]') as HTMLButtonElement).click());
    await until(() => expect($('[data-testid="alert-open-count"]')?.textContent).toBe('0 unacknowledged'));
    expect(acknowledgeMany).toHaveBeenCalledWith({ ids: [3, 1, 2] });
    expect($('[data-testid="alert-ack-shown"]')).toBeNull();
    // Acknowledged, the offline camera is no longer pinned.
    await until(() => expect($('[data-testid="alert-3"]')?.getAttribute('data-pinned')).toBeNull());
  });

  it('pages through older alerts with the cursor and filters by label', async () => {
    // 150 detection incidents, newest first; pages of 100 as the server cuts them.
    const all = Array.from({ length: 150 }, (_, i) =>
      alertFixture({
        id: 150 - i,
        type: 'detection',
        severity: 'warning',
        created_at: new Date(Date.parse('2025-06-01T10:00:00.000Z') - i * 60_000).toISOString(),
        labels: i % 2 ? { car: 1 } : { person: 1 },
        message: `incident ${150 - i}`,
      }),
    );
    const list = vi.fn(async (q: AlertQuery) => {
      let hit = all.filter((a) => !q.label || (a.labels[q.label] ?? 0) > 0);
      if (q.severity === 'critical') hit = [];
      if (q.cursor) {
        const id = Number(q.cursor.split('.')[1]);
        hit = hit.filter((a) => a.id < id);
      }
      const limit = q.limit ?? 100;
      const page = hit.slice(0, limit);
      const last = page[page.length - 1];
      return {
        alerts: page,
        unacknowledged: 150,
        next: hit.length > limit && last ? `${Date.parse(last.created_at)}.${last.id}` : null,
      };
    });
    const api = { alerts: { list }, request: vi.fn(async () => []), blob: vi.fn() } as unknown as ApiClient;
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    act(() =>
      root.render(
        <QueryClientProvider client={qc}>
          <AlertWidget api={api} cameras={[]} />
        </QueryClientProvider>,
      ),
    );
    const rows = () => host.querySelectorAll('[data-testid="alert-list"] > li').length;
    await until(() => expect(rows()).toBe(100));
    act(() => ($('[data-testid="alert-more"]') as HTMLButtonElement).click());
    await until(() => expect(rows()).toBe(150));
    expect(list).toHaveBeenCalledWith(expect.objectContaining({ cursor: `${Date.parse(all[99]?.created_at ?? '')}.51` }));
    // The last page: nothing more to show.
    expect($('[data-testid="alert-more"]')).toBeNull();
    expect($('[data-testid="alert-1"]')).not.toBeNull();

    const label = $('[data-testid="alert-filter-label"]') as HTMLSelectElement;
    act(() => {
      label.value = 'car';
      label.dispatchEvent(new Event('change', { bubbles: true }));
    });
    // A new filter starts again from its first page.
    await until(() => expect(rows()).toBe(75));
    expect(list).toHaveBeenLastCalledWith({ limit: 100, label: 'car' });
    expect($('[data-testid="alert-more"]')).toBeNull();
  });
});
