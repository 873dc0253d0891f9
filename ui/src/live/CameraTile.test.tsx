// Why: renders the live tile in jsdom to prove it asks stream/info, picks MSE or MJPEG by codec support, falls back on an unplayable init and switches by hand.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/client';
import type { StreamInfo } from '../api/types';
import { CameraTile } from './CameraTile';

// The real players open sockets; here each one is a bare element that exposes its callbacks.
const mounted: Record<string, { onUnsupported?: (m: string) => void; quality?: string }> = {};
/** MSE players by stream, with their status callback (to say "playing"). */
const mseBy: Record<string, { behind: boolean; onStatus: (s: { state: string }) => void }> = {};
vi.mock('./players', () => ({
  MseVideo: (p: { cameraId: number; onUnsupported: (m: string) => void; stream?: string; behind?: boolean; onStatus: (s: { state: string }) => void }) => {
    mounted.mse = { onUnsupported: p.onUnsupported };
    mseBy[p.stream ?? 'main'] = { behind: !!p.behind, onStatus: p.onStatus };
    return <video data-testid={p.behind ? `live-next-${p.cameraId}` : `live-video-${p.cameraId}`} data-player="mse" data-stream={p.stream ?? 'main'} />;
  },
  HlsVideo: (p: { cameraId: number }) => {
    mounted.hls = {};
    return <video data-testid={`live-video-${p.cameraId}`} data-player="hls" />;
  },
  MjpegImage: (p: { cameraId: number; quality: string }) => {
    mounted.mjpeg = { quality: p.quality };
    return <img data-testid={`live-img-${p.cameraId}`} alt="" />;
  },
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  for (const k of Object.keys(mounted)) delete mounted[k];
  for (const k of Object.keys(mseBy)) delete mseBy[k];
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const H264 = 'video/mp4; codecs="avc1.64001e"';
const H265 = 'video/mp4; codecs="hvc1.1.6.L93.B0"';

function streamInfo(mime: string | undefined, codec = 'h264'): StreamInfo {
  return {
    camera_id: 5,
    state: 'running',
    codec,
    width: 640,
    height: 360,
    ...(mime ? { mime } : {}),
    streams: [
      { type: 'mse', url: '/api/v1/cameras/5/stream/mse' },
      { type: 'hls', url: '/api/v1/cameras/5/hls/live.m3u8' },
      { type: 'mjpeg', url: '/api/v1/cameras/5/stream' },
    ],
  };
}

function api(result: StreamInfo | Error) {
  const request = vi.fn((): Promise<unknown> => (result instanceof Error ? Promise.reject(result) : Promise.resolve(result)));
  const client = { request, cameras: {} } as unknown as ApiClient;
  return Object.assign(client, { request });
}

async function render(a: ApiClient, typeSupport: ((m: string) => boolean) | null) {
  await act(async () => {
    root.render(
      <CameraTile
        api={a}
        conn={{ baseUrl: 'http://127.0.0.1:7878', token: 't' }}
        camera={{ id: 5, name: 'Gate' }}
        typeSupport={typeSupport}
      />,
    );
  });
}

const q = (sel: string) => host.querySelector(sel);
const mode = () => q('[data-testid="live-mode-5"]')?.getAttribute('data-mode');
const chromium = (m: string) => m.includes('avc1');

describe('CameraTile', () => {
  it('asks stream/info and plays H.264 through MSE where the browser supports it', async () => {
    const a = api(streamInfo(H264));
    await render(a, chromium);
    expect(a.request).toHaveBeenCalledWith('GET', '/cameras/5/stream/info');
    expect(mode()).toBe('mse');
    expect(q('[data-testid="live-video-5"]')?.getAttribute('data-player')).toBe('mse');
    expect(q('[data-testid="live-img-5"]')).toBeNull();
    expect(q('[data-testid="live-mode-5-mse"]')?.getAttribute('aria-pressed')).toBe('true');
    expect(host.textContent).toContain('H264 · 640×360');
  });

  it('shows H.265 as MJPEG where MSE cannot decode it', async () => {
    await render(api(streamInfo(H265, 'h265')), chromium);
    expect(mode()).toBe('mjpeg');
    expect(q('[data-testid="live-img-5"]')).not.toBeNull();
    expect(q('[data-testid="live-video-5"]')).toBeNull();
    expect(q('[data-testid="live-quality-5"]')).not.toBeNull();
  });

  it('tries MSE while the codec is unknown and falls back to MJPEG on an unplayable init', async () => {
    await render(api({ ...streamInfo(undefined), codec: null }), chromium);
    expect(mode()).toBe('mse');
    act(() => mounted.mse!.onUnsupported!(H265));
    expect(mode()).toBe('mjpeg');
    expect(q('[data-testid="live-error-5"]')?.textContent).toContain('showing MJPEG');
  });

  it('picks MJPEG for an H.265 camera whose MIME type is not known yet', async () => {
    await render(api({ ...streamInfo(undefined, 'h265'), mime: null }), chromium);
    expect(mode()).toBe('mjpeg');
  });

  it('does not override a manual choice of MSE', async () => {
    await render(api(streamInfo(undefined)), chromium);
    act(() => (q('[data-testid="live-mode-5-hls"]') as HTMLButtonElement).click());
    act(() => (q('[data-testid="live-mode-5-mse"]') as HTMLButtonElement).click());
    act(() => mounted.mse!.onUnsupported!(H265));
    expect(mode()).toBe('mse');
  });

  it('switches among MSE, HLS and MJPEG by hand and passes the MJPEG level', async () => {
    await render(api(streamInfo(H264)), chromium);
    act(() => (q('[data-testid="live-mode-5-hls"]') as HTMLButtonElement).click());
    expect(q('[data-testid="live-video-5"]')?.getAttribute('data-player')).toBe('hls');
    act(() => (q('[data-testid="live-mode-5-mjpeg"]') as HTMLButtonElement).click());
    expect(q('[data-testid="live-img-5"]')).not.toBeNull();
    const sel = q('[data-testid="live-quality-5"]') as HTMLSelectElement;
    act(() => {
      sel.value = 'high';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(mounted.mjpeg!.quality).toBe('high');
  });

  it('without stream/info still starts a player and offers a retry', async () => {
    const a = api(new ApiError(429, 'STREAM_LIMIT_EXCEEDED', 'too many'));
    await render(a, null);
    expect(mode()).toBe('mjpeg');
    expect(q('[data-testid="live-error-5"]')?.textContent).toContain('STREAM_LIMIT_EXCEEDED');
    a.request.mockResolvedValueOnce(streamInfo(H264));
    await act(async () => {
      [...host.querySelectorAll('button')].find((b) => b.textContent === 'Retry')!.click();
    });
    expect(a.request).toHaveBeenCalledTimes(2);
    expect(q('[data-testid="live-error-5"]')).toBeNull();
  });

  it('plays the sub-stream in a tile and switches to the main one underneath, showing it once it plays', async () => {
    const a = api({ ...streamInfo(H264), has_sub: true, stream: 'sub' });
    const conn = { baseUrl: 'http://127.0.0.1:7878', token: 't' };
    const tile = (stream: 'main' | 'sub') => (
      <CameraTile api={a} conn={conn} camera={{ id: 5, name: 'Gate' }} typeSupport={() => true} stream={stream} />
    );
    await act(async () => root.render(tile('sub')));
    expect(a.request).toHaveBeenCalledWith('GET', '/cameras/5/stream/info?stream=sub');
    expect(host.querySelector('[data-testid="live-video-5"]')?.getAttribute('data-stream')).toBe('sub');

    await act(async () => root.render(tile('main')));
    // Both play: the sub-stream still shown, the main one starting underneath.
    expect(host.querySelector('[data-testid="live-video-5"]')?.getAttribute('data-stream')).toBe('sub');
    expect(host.querySelector('[data-testid="live-next-5"]')?.getAttribute('data-stream')).toBe('main');
    expect(mseBy.main?.behind).toBe(true);
    await act(async () => mseBy.main!.onStatus({ state: 'playing' }));
    expect(host.querySelector('[data-testid="live-next-5"]')).toBeNull();
    expect(host.querySelector('[data-testid="live-video-5"]')?.getAttribute('data-stream')).toBe('main');
    expect(host.querySelectorAll('video').length).toBe(1);
  });

  it('does not switch a camera without a sub-stream', async () => {
    const a = api({ ...streamInfo(H264), has_sub: false, stream: 'main' });
    const conn = { baseUrl: 'http://127.0.0.1:7878', token: 't' };
    const tile = (stream: 'main' | 'sub') => (
      <CameraTile api={a} conn={conn} camera={{ id: 5, name: 'Gate' }} typeSupport={() => true} stream={stream} />
    );
    await act(async () => root.render(tile('main')));
    await act(async () => root.render(tile('sub')));
    expect(host.querySelector('[data-testid="live-next-5"]')).toBeNull();
    expect(host.querySelectorAll('video').length).toBe(1);
  });
});
