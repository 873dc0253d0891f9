// Why: the detection dialog's picture must appear once a camera that is still connecting can give one (it answered STREAM_NOT_READY first and the dialog never asked again).
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import { camera } from '../../test/fixtures';
import { DetectionEditor } from './DetectionEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  vi.useFakeTimers();
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  URL.createObjectURL = vi.fn(() => 'blob:picture');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  vi.useRealTimers();
});

it('asks again for the picture while the camera is still connecting, and shows it when it comes', async () => {
  const notReady = new ApiError(409, 'STREAM_NOT_READY', 'the camera is not connected');
  const blob = vi
    .fn()
    .mockRejectedValueOnce(notReady)
    .mockRejectedValueOnce(notReady)
    .mockResolvedValue(new Blob(['jpeg'], { type: 'image/jpeg' }));
  const api = {
    request: vi.fn(async () => ({ enabled: true, filter: {} })),
    cameras: {} as ApiClient['cameras'],
    layouts: {} as ApiClient['layouts'],
    alerts: {} as ApiClient['alerts'],
    blob,
  } as unknown as ApiClient;
  await act(async () => {
    root.render(<DetectionEditor camera={camera({ id: 3 })} api={api} onClose={() => {}} />);
  });
  const stage = () => host.querySelector('[data-testid="zone-stage"]');
  expect(stage()?.querySelector('img')).toBeNull();
  expect(stage()?.textContent).toContain('No current picture');
  await act(async () => {
    await vi.advanceTimersByTimeAsync(2000);
  });
  expect(stage()?.querySelector('img')).toBeNull();
  await act(async () => {
    await vi.advanceTimersByTimeAsync(2000);
  });
  expect(stage()?.querySelector('img')?.getAttribute('src')).toBe('blob:picture');
  expect(blob).toHaveBeenCalledTimes(3);
  expect(blob).toHaveBeenCalledWith('/cameras/3/stream/snapshot');
});
