// Why: renders the Review page in jsdom against a fake API — incidents as cards, filters sent as the query, mark reviewed one by one, by keyboard and all shown at once.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { AckRequest, Alert, AlertQuery } from '../../api/types';
import { alertFixture, camera } from '../../test/fixtures';
import { ReviewPage } from './ReviewPage';

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
const cards = () => [...host.querySelectorAll('[data-testid="review-grid"] > li')].map((li) => li.getAttribute('data-testid'));

function incidents(): Alert[] {
  return [3, 2, 1].map((id) =>
    alertFixture({
      id,
      type: 'detection',
      severity: 'warning',
      camera_id: id === 1 ? 2 : 1,
      created_at: new Date(Date.parse('2026-12-04T09:00:00.000Z') - id * 60_000).toISOString(),
      ended_at: new Date(Date.parse('2026-12-04T09:00:30.000Z') - id * 60_000).toISOString(),
      count: id,
      labels: id === 2 ? { person: 1, car: 1 } : { person: id },
      details: { zones: id === 3 ? ['gate'] : [] },
      message: `incident ${id}`,
    }),
  );
}

function fakeApi() {
  const all = incidents();
  const list = vi.fn(async (q: AlertQuery) => {
    const hit = all.filter(
      (a) =>
        (q.acknowledged === undefined || a.acknowledged === q.acknowledged) &&
        (!q.label || (a.labels[q.label] ?? 0) > 0) &&
        (q.camera_id === undefined || a.camera_id === q.camera_id),
    );
    return { alerts: hit, unacknowledged: all.filter((a) => !a.acknowledged).length, next: null };
  });
  const mark = (id: number) => {
    const i = all.findIndex((a) => a.id === id);
    const a = all[i];
    if (!a) throw new Error(`no alert ${id}`);
    all[i] = { ...a, acknowledged: true, acknowledged_by: 'desk', acknowledged_at: '2026-12-04T09:05:00.000Z' };
    return all[i];
  };
  const acknowledge = vi.fn(async (id: number) => mark(id));
  const acknowledgeMany = vi.fn(async (b: AckRequest) => {
    for (const id of b.ids ?? []) mark(id);
    return { acknowledged: b.ids?.length ?? 0 };
  });
  const api = { alerts: { list, acknowledge, acknowledgeMany }, request: vi.fn(async () => []), blob: vi.fn(() => new Promise(() => {})) };
  return { api: api as unknown as ApiClient, list, acknowledge, acknowledgeMany };
}

function render(api: ApiClient) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root.render(
      <QueryClientProvider client={qc}>
        <ReviewPage api={api} conn={{ baseUrl: 'http://vigil.test', token: 't' }} cameras={[camera({ id: 1, name: 'Yard' }), camera({ id: 2, name: 'Lobby' })]} />
      </QueryClientProvider>,
    ),
  );
}

describe('ReviewPage', () => {
  it('lists unreviewed incidents newest first and sends the filters as the query', async () => {
    const f = fakeApi();
    render(f.api);
    await until(() => expect(cards()).toEqual(['review-3', 'review-2', 'review-1']));
    expect(f.list).toHaveBeenCalledWith({ type: 'detection', limit: 36, acknowledged: false });
    expect($('[data-testid="review-3"]')?.textContent).toContain('Yard');
    expect($('[data-testid="review-3"]')?.textContent).toContain('gate');
    expect($('[data-testid="review-2"]')?.textContent).toContain('1 car, 1 person');

    const label = $('[data-testid="review-filter-label"]') as HTMLSelectElement;
    act(() => {
      label.value = 'car';
      label.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => expect(cards()).toEqual(['review-2']));
    expect(f.list).toHaveBeenLastCalledWith({ type: 'detection', limit: 36, acknowledged: false, label: 'car' });
    const cam = $('[data-testid="review-filter-camera"]') as HTMLSelectElement;
    act(() => {
      cam.value = '2';
      cam.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => expect($('[data-testid="review-empty"]')?.textContent).toContain('for these filters'));
  });

  it('marks reviewed by button and by keyboard (j, r), and all shown at once', async () => {
    const f = fakeApi();
    render(f.api);
    await until(() => expect(cards()).toHaveLength(3));
    act(() => ($('[data-testid="review-mark-1"]') as HTMLButtonElement).click());
    await until(() => expect(cards()).toEqual(['review-3', 'review-2']));
    expect(f.acknowledge).toHaveBeenCalledWith(1);

    act(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j' })));
    await until(() => expect($('[data-testid="review-3"]')?.getAttribute('data-selected')).toBe('true'));
    act(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'r' })));
    await until(() => expect(cards()).toEqual(['review-2']));
    expect(f.acknowledge).toHaveBeenLastCalledWith(3);
    // The selection moved on to what was next.
    expect($('[data-testid="review-2"]')?.getAttribute('data-selected')).toBe('true');

    const state = $('[data-testid="review-filter-state"]') as HTMLSelectElement;
    act(() => {
      state.value = 'all';
      state.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => expect(cards()).toHaveLength(3));
    expect($('[data-testid="review-reviewed-3"]')).not.toBeNull();
    // One unreviewed left: the bulk button counts it.
    expect($('[data-testid="review-mark-shown"]')?.textContent).toContain('(1)');
  });

  it('marks every shown incident reviewed in one call', async () => {
    const f = fakeApi();
    render(f.api);
    await until(() => expect($('[data-testid="review-mark-shown"]')?.textContent).toContain('(3)'));
    act(() => ($('[data-testid="review-mark-shown"]') as HTMLButtonElement).click());
    await until(() => expect($('[data-testid="review-empty"]')?.textContent).toBe('Nothing left to review.'));
    expect(f.acknowledgeMany).toHaveBeenCalledWith({ ids: [3, 2, 1] });
  });
});
