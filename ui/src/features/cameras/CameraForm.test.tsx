// Why: renders the real camera dialog in jsdom to prove server field errors appear next to their inputs, the password UI
// works, a failed connection test is explained in plain words, and saving an untested or failed source asks first.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import { camera } from '../../test/fixtures';
import { CameraForm } from './CameraForm';

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

function fakeApi(cameras: Partial<ApiClient['cameras']>, request = vi.fn()): ApiClient {
  return {
    request,
    cameras: cameras as ApiClient['cameras'],
    layouts: {} as ApiClient['layouts'],
    alerts: {} as ApiClient['alerts'],
    blob: vi.fn(),
  };
}

function type(input: Element | null, value: string) {
  const el = input as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit() {
  const form = host.querySelector('[data-testid="camera-form"]') as HTMLFormElement;
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

const q = (sel: string) => host.querySelector(sel);

/** Answer the "Save anyway?" question. */
async function answer(choice: 'confirm' | 'cancel') {
  const b = q(`[data-testid="save-anyway-${choice}"]`) as HTMLButtonElement;
  expect(b).not.toBeNull();
  await act(async () => b.click());
}

describe('CameraForm', () => {
  it('shows a 409 serial duplicate and a source.url error next to their inputs', async () => {
    const create = vi.fn().mockRejectedValue(
      new ApiError(409, 'CAMERA_SERIAL_DUPLICATE', 'serial number already in use', {
        fields: { serial_number: 'is already used by camera 2', 'source.url': 'must name a host' },
      }),
    );
    const onSaved = vi.fn();
    act(() => root.render(<CameraForm camera={null} api={fakeApi({ create })} onSaved={onSaved} onClose={() => {}} />));
    type(q('#cam-name'), 'Gate');
    type(q('#cam-serial_number'), 'SN-1');
    type(q('#cam-source-url'), 'rtsp://cam/1');
    await submit();
    // Never tested: it asks first.
    expect(create).not.toHaveBeenCalled();
    expect(q('[data-testid="save-anyway-message"]')?.textContent).toBe('The connection has not been tested. Save anyway?');
    await answer('confirm');
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ name: 'Gate', serial_number: 'SN-1' }));
    expect(onSaved).not.toHaveBeenCalled();
    expect(q('[data-testid="field-error-serial_number"]')?.textContent).toBe('is already used by camera 2');
    expect(q('[data-testid="field-error-source.url"]')?.textContent).toBe('must name a host');
    expect(q('#cam-serial_number')?.getAttribute('aria-describedby')).toBe('cam-serial_number-error');
    expect(q('[data-testid="form-error"]')?.textContent).toContain('CAMERA_SERIAL_DUPLICATE');
  });

  it('checks required fields before calling the API', async () => {
    const create = vi.fn();
    act(() => root.render(<CameraForm camera={null} api={fakeApi({ create })} onSaved={vi.fn()} onClose={() => {}} />));
    await submit();
    expect(create).not.toHaveBeenCalled();
    expect(q('[data-testid="field-error-name"]')?.textContent).toBe('is required');
    expect(q('label[for="cam-name"]')?.textContent).toBe('Name');
  });

  it('on edit keeps the password unless removed, and sends null to remove it', async () => {
    const cam = camera();
    const update = vi.fn().mockResolvedValue({ ...cam, has_password: false });
    const onSaved = vi.fn();
    act(() => root.render(<CameraForm camera={cam} api={fakeApi({ update })} onSaved={onSaved} onClose={() => {}} />));
    const pw = q('#cam-password') as HTMLInputElement;
    expect(pw.type).toBe('password');
    expect(pw.value).toBe('');
    expect(pw.placeholder).toBe('•••••• (unchanged)');
    act(() => (q('[data-testid="remove-password"]') as HTMLInputElement).click());
    await submit();
    await answer('confirm');
    expect(update).toHaveBeenCalledWith(cam.id, { password: null });
    expect(onSaved).toHaveBeenCalledWith({ ...cam, has_password: false }, false);
  });

  it('shows the publish URL and stream key of an RTMP push camera with Copy buttons', () => {
    const cam = camera({ source: { kind: 'rtmp_push', stream_key: 'k3y', publish_url: 'rtmp://127.0.0.1:1935/live/k3y' } });
    act(() => root.render(<CameraForm camera={cam} api={fakeApi({})} onSaved={vi.fn()} onClose={() => {}} />));
    expect((q('[data-testid="rtmp-publish-url"]') as HTMLInputElement).value).toBe('rtmp://127.0.0.1:1935/live/k3y');
    expect((q('[data-testid="rtmp-stream-key"]') as HTMLInputElement).value).toBe('k3y');
    const copyButtons = [...host.querySelectorAll('button')].filter((b) => b.textContent === 'Copy');
    expect(copyButtons).toHaveLength(2);
  });

  it('tests the connection and shows an unreachable source at the URL field, then what a good one runs', async () => {
    const request = vi
      .fn()
      .mockResolvedValueOnce({
        outcome: 'failed',
        code: 'SOURCE_UNREACHABLE',
        field: 'source.url',
        message: 'connection refused by 127.0.0.1:9',
        took_ms: 3,
      })
      .mockResolvedValueOnce({ outcome: 'ok', codec: 'h264', width: 640, height: 360, fps: 25, audio_codec: null, took_ms: 120 });
    act(() => root.render(<CameraForm camera={null} api={fakeApi({}, request)} onSaved={vi.fn()} onClose={() => {}} />));
    type(q('#cam-source-url'), 'rtsp://127.0.0.1:9/x');
    const probe = q('[data-testid="probe-button"]') as HTMLButtonElement;
    await act(async () => probe.click());
    expect(request).toHaveBeenCalledWith('POST', '/cameras/probe', {
      source: { kind: 'rtsp', url: 'rtsp://127.0.0.1:9/x', transport: 'tcp' },
    });
    // Plain words at the field and under the button; the server's message only behind Details.
    expect(q('[data-testid="field-error-source.url"]')?.textContent).toBe('Nothing answered at that address');
    expect(q('[data-testid="probe-error-title"]')?.textContent).toBe('Nothing answered at that address');
    expect(q('[data-testid="probe-error"]')?.textContent).toContain('IP address and port');
    expect(q('[data-testid="probe-error"]')?.getAttribute('role')).toBe('alert');
    const details = q('[data-testid="probe-error-details"]') as HTMLDetailsElement;
    expect(details.tagName).toBe('DETAILS');
    expect(details.open).toBe(false);
    expect(details.textContent).toContain('connection refused by 127.0.0.1:9');
    type(q('#cam-source-url'), 'rtsp://127.0.0.1:8554/cam');
    expect(q('[data-testid="field-error-source.url"]')).toBeNull();
    await act(async () => probe.click());
    expect(q('[data-testid="probe-result"]')?.textContent).toContain('H.264 640×360 @ 25 fps');
  });

  it('checks the URL locally before probing, and probes a saved camera as stored', async () => {
    const request = vi.fn().mockResolvedValue({ outcome: 'ok', codec: 'h265', width: 1920, height: 1080, fps: 15, audio_codec: 'aac', took_ms: 9 });
    act(() => root.render(<CameraForm camera={null} api={fakeApi({}, request)} onSaved={vi.fn()} onClose={() => {}} />));
    type(q('#cam-source-url'), 'http://x');
    await act(async () => (q('[data-testid="probe-button"]') as HTMLButtonElement).click());
    expect(request).not.toHaveBeenCalled();
    expect(q('[data-testid="field-error-source.url"]')?.textContent).toBe('must start with rtsp:// or rtsps://');
    act(() => root.unmount());
    root = createRoot(host);
    const cam = camera({ id: 9 });
    act(() => root.render(<CameraForm camera={cam} api={fakeApi({}, request)} onSaved={vi.fn()} onClose={() => {}} />));
    expect(q('#cam-password-hint')?.textContent).toContain('leave empty to keep');
    await act(async () => (q('[data-testid="probe-button"]') as HTMLButtonElement).click());
    expect(request).toHaveBeenCalledWith('POST', '/cameras/9/probe');
    expect(q('[data-testid="probe-result"]')?.textContent).toContain('H.265 1920×1080 @ 15 fps · audio AAC');
  });

  it('asks before saving a source that failed its test: Cancel keeps the form, Save anyway saves', async () => {
    const request = vi.fn().mockResolvedValue({
      outcome: 'failed',
      code: 'SOURCE_NOT_FOUND',
      field: 'source.url',
      message: '404 Not Found (DESCRIBE CSeq=2)',
      took_ms: 4,
    });
    const cam = camera({ id: 5 });
    const create = vi.fn().mockResolvedValue(cam);
    const onSaved = vi.fn();
    const onClose = vi.fn();
    act(() => root.render(<CameraForm camera={null} api={fakeApi({ create }, request)} onSaved={onSaved} onClose={onClose} />));
    type(q('#cam-name'), 'Gate');
    type(q('#cam-source-url'), 'rtsp://192.0.2.5/wrong');
    await act(async () => (q('[data-testid="probe-button"]') as HTMLButtonElement).click());
    expect(q('[data-testid="probe-error-title"]')?.textContent).toBe('No stream at that path');
    await submit();
    const dialog = q('[data-testid="save-anyway"]');
    expect(dialog?.getAttribute('role')).toBe('alertdialog');
    expect(q('[data-testid="save-anyway-message"]')?.textContent).toBe(
      'The last connection test failed: No stream at that path. Save anyway?',
    );
    // Focus starts on Cancel; Esc answers the question, not the camera dialog under it.
    expect(document.activeElement).toBe(q('[data-testid="save-anyway-cancel"]'));
    act(() => {
      document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(q('[data-testid="save-anyway"]')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
    await submit();
    await answer('cancel');
    expect(create).not.toHaveBeenCalled();
    expect((q('#cam-name') as HTMLInputElement).value).toBe('Gate');
    await submit();
    await answer('confirm');
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ name: 'Gate' }));
    expect(onSaved).toHaveBeenCalledWith(cam, true);
  });

  it('saves a tested source, and an edit that leaves the source alone, without asking', async () => {
    const request = vi.fn().mockResolvedValue({ outcome: 'ok', codec: 'h264', width: 640, height: 360, fps: 25, audio_codec: null, took_ms: 9 });
    const cam = camera({ id: 6 });
    const create = vi.fn().mockResolvedValue(cam);
    act(() => root.render(<CameraForm camera={null} api={fakeApi({ create }, request)} onSaved={vi.fn()} onClose={() => {}} />));
    type(q('#cam-name'), 'Yard');
    type(q('#cam-source-url'), 'rtsp://192.0.2.6/ok');
    await act(async () => (q('[data-testid="probe-button"]') as HTMLButtonElement).click());
    await submit();
    expect(q('[data-testid="save-anyway"]')).toBeNull();
    expect(create).toHaveBeenCalled();
    act(() => root.unmount());
    root = createRoot(host);
    const update = vi.fn().mockResolvedValue({ ...cam, name: 'Renamed' });
    act(() => root.render(<CameraForm camera={cam} api={fakeApi({ update })} onSaved={vi.fn()} onClose={() => {}} />));
    type(q('#cam-name'), 'Renamed');
    await submit();
    expect(q('[data-testid="save-anyway"]')).toBeNull();
    expect(update).toHaveBeenCalledWith(6, { name: 'Renamed' });
  });
});
