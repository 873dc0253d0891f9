// Why: renders the Keep control in jsdom — the reason form (Escape cancels), the lock it sends, the Kept badge once locks cover the footage, and a refusal shown in place.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { KeepControl } from './KeepControl';
import { fakeApi, lockRow } from './testApi';
import type { Lock, LockInput } from './types';

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

function render(routes: Parameters<typeof fakeApi>[0]) {
  const { api, request } = fakeApi(routes);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root.render(
      <QueryClientProvider client={qc}>
        <KeepControl
          api={api}
          cameraId={2}
          span={{ startMs: 70_000, endMs: 190_000 }}
          covers={{ startMs: 100_000, endMs: 160_000 }}
          defaultReason="Detection: person"
          testId="keep-x"
        />
      </QueryClientProvider>,
    ),
  );
  return request;
}

async function save() {
  await act(async () => {
    $('[data-testid="keep-x-form"]')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('KeepControl', () => {
  it('asks for a reason, locks the padded span and then shows Kept', async () => {
    const locks: Lock[] = [lockRow({ id: 1, camera_id: 1, start_ms: 0, end_ms: 1e6 })];
    const request = render({
      'GET /locks': () => locks,
      'POST /locks': (body) => {
        const b = body as LockInput;
        const l = lockRow({ id: 2, camera_id: b.camera_id, start_ms: Number(b.start), end_ms: Number(b.end), reason: b.reason ?? '' });
        locks.push(l);
        return l;
      },
    });
    // Another camera's lock does not count.
    await until(() => expect(request).toHaveBeenCalledWith('GET', '/locks'));
    expect($('[data-testid="keep-x-kept"]')).toBeNull();
    act(() => ($('[data-testid="keep-x"]') as HTMLButtonElement).click());
    const input = $('[data-testid="keep-x-reason"]') as HTMLInputElement;
    expect(input.value).toBe('Detection: person');
    expect(document.activeElement).toBe(input);
    act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect($('[data-testid="keep-x-form"]')).toBeNull();

    act(() => ($('[data-testid="keep-x"]') as HTMLButtonElement).click());
    await save();
    await until(() => expect($('[data-testid="keep-x-kept"]')).not.toBeNull());
    expect(request).toHaveBeenCalledWith('POST', '/locks', { camera_id: 2, start: 70_000, end: 190_000, reason: 'Detection: person' });
    expect($('[data-testid="keep-x-kept"]')?.getAttribute('href')).toBe('#/storage');
    expect($('[data-testid="keep-x-kept"]')?.getAttribute('title')).toContain('Detection: person');
  });

  it('shows a refusal in place and stays open', async () => {
    render({
      'GET /locks': () => [],
      'POST /locks': () => {
        throw new ApiError(403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'needs recording:delete');
      },
    });
    await until(() => expect($('[data-testid="keep-x"]')).not.toBeNull());
    act(() => ($('[data-testid="keep-x"]') as HTMLButtonElement).click());
    await save();
    await until(() =>
      expect($('[data-testid="keep-x-error"]')?.textContent).toBe('AUTH_INSUFFICIENT_PERMISSIONS: needs recording:delete'),
    );
    expect($('[data-testid="keep-x-form"]')).not.toBeNull();
  });
});
