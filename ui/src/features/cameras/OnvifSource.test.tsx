// Why: proves adding an ONVIF camera in the real camera dialog against a fake API and events socket — a scan lists the
// cameras that answer (one already added marked), picking one fills the address, "Read profiles" sends the typed
// credentials and picks the largest recordable profile as main and the smallest as sub, a refused password is
// explained, and the camera is saved as an onvif source with its credentials.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { VigilEvent } from '../../api/types';
import { camera } from '../../test/fixtures';
import { CameraForm } from './CameraForm';
import { pickProfiles, profileText } from './OnvifSource';
import type { OnvifProfile } from './OnvifSource';

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

const q = (sel: string) => host.querySelector(sel);
const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });
function type(sel: string, value: string) {
  const el = q(sel) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
function choose(sel: string, value: string) {
  const el = q(sel) as HTMLSelectElement;
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const profile = (over: Partial<OnvifProfile>): OnvifProfile => ({
  token: 'p',
  name: 'P',
  encoding: 'H264',
  width: 1280,
  height: 720,
  fps: 25,
  bitrate_kbps: 4096,
  stream_uri: 'rtsp://192.0.2.5/main',
  snapshot_uri: null,
  ptz: false,
  recordable: true,
  ...over,
});
const SUB = profile({ token: 'sub', name: 'SubStream', width: 640, height: 360, fps: 15, bitrate_kbps: 512 });
const MAIN = profile({ token: 'main', name: 'MainStream' });
const JPEG = profile({ token: 'jpeg', name: 'MJPEG', encoding: 'JPEG', width: 1920, height: 1080, recordable: false });
const PROFILES = [SUB, MAIN, JPEG];

/** An events socket the test feeds by hand. */
function fakeEvents(): { client: EventsClient; emit: (ev: VigilEvent) => void } {
  const listeners = new Set<(ev: VigilEvent) => void>();
  const client = {
    state: 'connected',
    subscribe: (l: (ev: VigilEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as EventsClient;
  return { client, emit: (ev) => act(() => listeners.forEach((l) => l(ev))) };
}

describe('ONVIF profiles', () => {
  it('are worded and picked', () => {
    expect(profileText(MAIN)).toBe('MainStream (1280×720 H264 25 fps 4096 kbit/s)');
    expect(profileText(JPEG)).toContain('cannot be recorded');
    expect(pickProfiles(PROFILES)).toEqual({ main: 'main', sub: 'sub' });
    expect(pickProfiles([MAIN])).toEqual({ main: 'main', sub: '' });
    expect(pickProfiles([JPEG])).toEqual({ main: '', sub: '' });
  });
});

describe('adding an ONVIF camera', () => {
  it('scans, reads the profiles with the typed credentials and saves an onvif source', async () => {
    const calls: [string, string, unknown][] = [];
    const request = vi.fn(async (method: string, path: string, body?: unknown) => {
      calls.push([method, path, body]);
      if (path === '/discovery/scan') return { scan_id: 4, seconds: 3, already_running: false };
      if (path === '/discovery/probe') {
        const b = body as { password?: string };
        if (b.password !== 's3cret') {
          return { outcome: 'failed', code: 'SOURCE_UNAUTHORIZED', field: 'password', message: 'refused', took_ms: 3 };
        }
        return {
          outcome: 'ok',
          address: '192.0.2.5:8080',
          device: { manufacturer: 'Acme', model: 'PTZ-1', serial_number: 'SN9', firmware: '1', hardware_id: null },
          profiles: PROFILES,
          ptz: true,
          camera_id: null,
          took_ms: 5,
        };
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    const create = vi.fn(async (body: unknown) => camera({ id: 9, name: (body as { name: string }).name }));
    const api = { request, cameras: { create }, layouts: {}, alerts: {}, blob: vi.fn() } as unknown as ApiClient;
    const ev = fakeEvents();
    const onSaved = vi.fn();
    act(() => root.render(<CameraForm camera={null} api={api} events={ev.client} onSaved={onSaved} onClose={() => {}} />));

    choose('#cam-source', 'onvif');
    await act(async () => (q('[data-testid="onvif-scan"]') as HTMLButtonElement).click());
    const device = (address: string, name: string) => ({ endpoint: `urn:uuid:${name}`, address, xaddrs: [], name, hardware: 'PTZ-1' });
    ev.emit({ type: 'discovery:found', scan_id: 4, device: device('192.0.2.5:8080', 'Yard'), camera_id: null, at: '' } as unknown as VigilEvent);
    ev.emit({ type: 'discovery:found', scan_id: 4, device: device('192.0.2.6:80', 'Gate'), camera_id: 3, at: '' } as unknown as VigilEvent);
    ev.emit({ type: 'discovery:found', scan_id: 99, device: device('192.0.2.7:80', 'Other scan'), camera_id: null, at: '' } as unknown as VigilEvent);
    ev.emit({ type: 'discovery:done', scan_id: 4, found: 2, error: null, at: '' } as unknown as VigilEvent);
    await until(() => expect(q('[data-testid="onvif-found"]')?.querySelectorAll('li').length).toBe(2));
    expect(q('[data-testid="onvif-found"]')?.textContent).toContain('already added');
    expect(q('[data-testid="onvif-found"]')?.textContent).not.toContain('Other scan');
    await act(async () => (q('[data-testid="onvif-pick-192.0.2.5:8080"]') as HTMLButtonElement).click());
    expect((q('#cam-source-address') as HTMLInputElement).value).toBe('192.0.2.5:8080');

    type('#cam-username', 'admin');
    type('#cam-password', 'wrong');
    await act(async () => (q('[data-testid="onvif-read"]') as HTMLButtonElement).click());
    await until(() => expect(q('[data-testid="onvif-error"]')?.textContent).toContain('refused the user name or password'));

    type('#cam-password', 's3cret');
    await act(async () => (q('[data-testid="onvif-read"]') as HTMLButtonElement).click());
    await until(() => expect((q('[data-testid="onvif-main"]') as HTMLSelectElement).value).toBe('main'));
    expect((q('[data-testid="onvif-sub"]') as HTMLSelectElement).value).toBe('sub');
    expect(calls).toContainEqual(['POST', '/discovery/probe', { address: '192.0.2.5:8080', username: 'admin', password: 's3cret' }]);
    expect((q('#cam-serial_number') as HTMLInputElement).value).toBe('SN9');

    type('#cam-name', 'Yard');
    await act(async () => {
      (q('[data-testid="camera-form"]') as HTMLFormElement).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    // Untested: the dialog asks first.
    const yes = q('[data-testid="save-anyway-confirm"]') as HTMLButtonElement | null;
    if (yes) await act(async () => yes.click());
    await until(() => expect(create).toHaveBeenCalled());
    const body = create.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(body.source).toEqual({ kind: 'onvif', address: '192.0.2.5:8080', main_profile: 'main', sub_profile: 'sub', transport: 'tcp' });
    expect(body.username).toBe('admin');
    expect(body.password).toBe('s3cret');
    expect(body.manufacturer).toBe('Acme');
  });
});
