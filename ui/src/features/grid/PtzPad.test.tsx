// Why: proves the PTZ pad against a fake API — it appears only for a camera that answers with presets (none for
// PTZ_UNSUPPORTED), holding an arrow moves and releasing stops, a preset is gone to, and the keyboard mapping steers
// with Shift+arrows and zooms with + and −.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import { ptzKey } from './liveKeys';
import { PtzPad } from './PtzPad';

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
const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });

describe('PTZ', () => {
  it('maps keys to speeds', () => {
    expect(ptzKey('ArrowLeft', true)).toEqual({ pan: -0.5, tilt: 0, zoom: 0 });
    expect(ptzKey('ArrowUp', true, 0.3)).toEqual({ pan: 0, tilt: 0.3, zoom: 0 });
    expect(ptzKey('ArrowLeft', false)).toBeNull();
    expect(ptzKey('+', false)).toEqual({ pan: 0, tilt: 0, zoom: 0.5 });
    expect(ptzKey('-', false)).toEqual({ pan: 0, tilt: 0, zoom: -0.5 });
    expect(ptzKey('a', true)).toBeNull();
  });

  it('moves while held, stops on release and goes to a preset', async () => {
    const calls: [string, string, unknown][] = [];
    const request = vi.fn(async (method: string, path: string, body?: unknown) => {
      calls.push([method, path, body]);
      if (method === 'GET') return { presets: [{ token: 'preset_1', name: 'Gate' }] };
      return { preset: null };
    });
    const api = { request } as unknown as ApiClient;
    act(() => root.render(<PtzPad api={api} cameraId={3} name="Dome" />));
    await until(() => expect(q('[data-testid="ptz-pad-3"]')).not.toBeNull());
    const left = q('[data-testid="ptz-left-3"]')!;
    await act(async () => left.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true })));
    await act(async () => left.dispatchEvent(new PointerEvent('pointerup', { bubbles: true })));
    expect(calls.filter(([m]) => m === 'POST').map(([, , b]) => b)).toEqual([
      { action: 'move', pan: -0.5, tilt: 0, zoom: 0 },
      { action: 'stop' },
    ]);
    const sel = q('[data-testid="ptz-presets-3"]') as HTMLSelectElement;
    await act(async () => {
      sel.value = 'preset_1';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(calls).toContainEqual(['POST', '/cameras/3/ptz', { action: 'goto_preset', preset: 'preset_1' }]);
  });

  it('shows nothing for a camera that cannot be steered', async () => {
    const request = vi.fn(async () => {
      throw new ApiError(409, 'PTZ_UNSUPPORTED', 'cannot be steered');
    });
    const api = { request } as unknown as ApiClient;
    act(() => root.render(<PtzPad api={api} cameraId={4} name="Fixed" />));
    await until(() => expect(request).toHaveBeenCalled());
    expect(q('[data-testid="ptz-pad-4"]')).toBeNull();
  });
});
