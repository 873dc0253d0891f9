// Why: renders the Cameras page in jsdom to prove Delete asks in a dialog that names the camera and says what happens
// to its recordings (sizes from GET /storage), deletes only when confirmed, and that a failing camera's last error is
// fetched from its status and explained in the table.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { Camera } from '../../api/types';
import { camera } from '../../test/fixtures';
import { CamerasPage } from './CamerasPage';
import type { CamerasState } from './useCameras';

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

const q = (sel: string) => host.querySelector(sel) as HTMLElement | null;
const flush = () => act(async () => {});

const storage = {
  tiers: [{ name: 'fast', online: true, archive: false }],
  cameras: [{ camera_id: 3, bytes: 3.2e9, by_tier: { fast: 3.2e9 }, bitrate_bps: 0, days_held: 14 / 24 }],
};

function renderPage(cameras: Camera[], request: ApiClient['request'], remove = vi.fn().mockResolvedValue(undefined)) {
  const api = {
    request,
    cameras: { remove } as unknown as ApiClient['cameras'],
    layouts: {} as ApiClient['layouts'],
    alerts: {} as ApiClient['alerts'],
    blob: vi.fn(),
  } as ApiClient;
  const cams: CamerasState = { cameras, loading: false, error: null, refetch: vi.fn(), upsert: vi.fn(), remove: vi.fn() };
  const events = { state: 'connected' } as unknown as EventsClient;
  act(() => root.render(<CamerasPage api={api} events={events} cams={cams} live={{ baseUrl: 'http://x', token: 't' }} />));
  return { remove, cams };
}

describe('CamerasPage delete', () => {
  it('names the camera and what happens to its recordings, and deletes only when confirmed', async () => {
    const request = vi.fn(async (_m: string, path: string) => (path === '/storage' ? storage : null)) as unknown as ApiClient['request'];
    const { remove, cams } = renderPage([camera({ id: 3, name: 'Gate' })], request);
    act(() => q('[data-testid="actions-3"]')!.click());
    act(() => q('[data-testid="delete-3"]')!.click());
    await flush();
    const dialog = q('[data-testid="confirm-delete"]')!;
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(dialog.querySelector('h2')?.textContent).toBe('Delete “Gate”?');
    expect(dialog.textContent).toContain('It has 3.2 GB of recordings, covering 14 h.');
    expect(dialog.textContent).toContain('They are deleted from disk right away');
    expect(q('[data-testid="confirm-delete-confirm"]')?.textContent).toBe('Delete camera and recordings');
    act(() => q('[data-testid="confirm-delete-cancel"]')!.click());
    expect(q('[data-testid="confirm-delete"]')).toBeNull();
    expect(remove).not.toHaveBeenCalled();
    act(() => q('[data-testid="actions-3"]')!.click());
    act(() => q('[data-testid="delete-3"]')!.click());
    await flush();
    await act(async () => q('[data-testid="confirm-delete-confirm"]')!.click());
    expect(remove).toHaveBeenCalledWith(3, { keepFootage: false });
    expect(cams.remove).toHaveBeenCalledWith(3);
  });

  it('offers to delete the camera and keep its recordings', async () => {
    const request = vi.fn(async (_m: string, path: string) => (path === '/storage' ? storage : null)) as unknown as ApiClient['request'];
    const { remove, cams } = renderPage([camera({ id: 3, name: 'Gate' })], request);
    act(() => q('[data-testid="actions-3"]')!.click());
    act(() => q('[data-testid="delete-3"]')!.click());
    await flush();
    expect(q('[data-testid="confirm-delete"]')?.textContent).toContain('Or keep its recordings');
    const keep = q('[data-testid="confirm-delete-alt"]')!;
    expect(keep.textContent).toBe('Delete camera, keep recordings');
    await act(async () => keep.click());
    expect(remove).toHaveBeenCalledWith(3, { keepFootage: true });
    expect(cams.remove).toHaveBeenCalledWith(3);
  });

  it('still says it in plain words when storage cannot be read', async () => {
    const request = vi.fn(async () => {
      throw new Error('forbidden');
    }) as unknown as ApiClient['request'];
    renderPage([camera({ id: 3, name: 'Gate' })], request);
    act(() => q('[data-testid="actions-3"]')!.click());
    act(() => q('[data-testid="delete-3"]')!.click());
    await flush();
    expect(q('[data-testid="confirm-delete"]')?.textContent).toContain('Its recordings are deleted from disk right away');
  });
});

describe('CamerasPage stream errors', () => {
  it("fetches a failing camera's status and explains its last error", async () => {
    const request = vi.fn(async (_m: string, path: string) =>
      path === '/cameras/3/status'
        ? { camera_id: 3, status: 'error', last_error: 'RTSP 401 Unauthorized on DESCRIBE', last_error_code: 'SOURCE_UNAUTHORIZED' }
        : null,
    ) as unknown as ApiClient['request'];
    renderPage([camera({ id: 3, name: 'Gate', status: 'error' }), camera({ id: 4, name: 'Yard', status: 'running' })], request);
    await flush();
    expect(request).toHaveBeenCalledWith('GET', '/cameras/3/status');
    expect(request).not.toHaveBeenCalledWith('GET', '/cameras/4/status');
    expect(q('[data-testid="status-error-3-title"]')?.textContent).toBe('The camera refused the user name or password');
    expect(q('[data-testid="status-error-3-details"]')?.textContent).toContain('RTSP 401 Unauthorized on DESCRIBE');
  });
});
