// Why: renders the System page in jsdom against a fake API — the engine, detection and database cards and each camera's row from the real endpoints' shapes, polling that moves uptime and yields rates, a failing endpoint said in a banner while the rest still shows, and one line when every endpoint fails the same way.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { camera } from '../../test/fixtures';
import { SystemPage, failureLines } from './SystemPage';
import { getHealth } from './systemApi';
import { HEALTH, METRICS_TEXT, detectionStatus, detectorStats, fakeApi, streamStatus } from './testData';
import type { Handler } from './testData';
import { METRICS_REFRESH_MS, STATS_REFRESH_MS, readWithPrevious } from './useSystem';

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
  vi.useRealTimers();
});

const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });
const $ = (sel: string) => host.querySelector(sel);
const text = (id: string) => $(`[data-testid="${id}"]`)?.textContent ?? null;

const CAMERAS = [camera({ id: 1, name: 'Front door', detection_enabled: true, status: 'running' }), camera({ id: 2, name: 'Yard', status: 'running' })];

function routes(over: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    'GET /cameras': () => CAMERAS,
    'GET /health': () => HEALTH,
    'GET /detection/status': () => detectionStatus(),
    'GET /cameras/1/status': () => streamStatus(),
    'GET /cameras/2/status': () =>
      streamStatus({ camera_id: 2, codec: 'h265', width: 640, height: 360, fps: 12.5, bitrate_kbps: 850, reconnects: 2, dropped: { recorder: 7 }, recording: { enabled: true, segments: 1, bytes: 1, dropped_packets: 7, errors: 0 } }),
    ...over,
  };
}

function render(r: Record<string, Handler>, metrics?: () => string) {
  const fake = fakeApi(r, metrics);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root.render(
      <QueryClientProvider client={qc}>
        <SystemPage api={fake.api} />
      </QueryClientProvider>,
    ),
  );
  return fake;
}

describe('SystemPage', () => {
  it('shows the engine, detection and database cards and a row per camera', async () => {
    const { request, blob } = render(routes());
    await until(() => expect(text('system-fps-2')).toBe('12.5'));
    expect(text('engine-version')).toBe('0.3.0');
    expect(text('engine-status')).toBe('ok');
    expect(text('engine-uptime')).toBe('1 h 2 min');
    expect(text('engine-streams')).toBe('2 of 2 running');
    expect(text('engine-cameras')).toBe('2 running, 1 reconnecting');
    expect(text('engine-cpu')).toBe('not reported');
    expect(text('engine-memory')).toBe('not reported');
    expect(text('engine-ws')).toBe('2');
    expect(text('detection-state')).toBe('ready');
    expect(text('detection-model')).toBe('yolov8n');
    expect(text('detection-workers')).toBe('1 × 2 threads');
    expect(text('detection-inference')).toBe('22 ms');
    expect(text('db-written')).toBe('118');
    expect(text('db-max-batch')).toBe('4.2 ms');
    expect($('[data-testid="db-failed"] .sys-warn')).not.toBeNull();

    const front = $('[data-testid="system-camera-1"]')!;
    expect(front.textContent).toContain('Front door');
    expect(text('system-state-1')).toBe('running');
    expect(text('system-fps-1')).toBe('25');
    expect(text('system-bitrate-1')).toBe('4.2 Mbit/s');
    expect(text('system-detect-latency-1')).toBe('48 ms');
    expect(text('system-write-p95-1')).toBe('46 ms');
    expect(front.textContent).toContain('H264 1920×1080');
    // Detection off for the yard camera; its recorder lost packets and it reconnected.
    expect(text('system-detect-2')).toBe('off');
    expect(text('system-bitrate-2')).toBe('850 kbit/s');
    expect($('[data-testid="system-reconnects-2"]')?.className).toContain('sys-warn');
    expect($('[data-testid="system-recorder-drops-2"]')?.className).toContain('sys-warn');
    expect($('[data-testid="system-recorder-drops-1"]')?.className).not.toContain('sys-warn');
    expect($('[data-testid="system-error"]')).toBeNull();
    expect(request).toHaveBeenCalledWith('GET', '/cameras/1/status');
    expect(blob).toHaveBeenCalledWith('/metrics');
    expect(blob).toHaveBeenCalledWith('/health');
  });

  it('polls: uptime moves, and rates appear once there are two readings', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let uptime = 100;
    let inferences = 150;
    let sampled = 200;
    render(
      routes({
        'GET /detection/status': () =>
          detectionStatus({ inferences, cameras: [detectorStats({ inferences, frames_sampled: sampled })] }),
      }),
      () => METRICS_TEXT.replace('vigil_uptime_seconds 3725.5', `vigil_uptime_seconds ${uptime}`),
    );
    await until(() => expect(text('engine-uptime')).toBe('1 min 40 s'));
    expect(text('detection-rate')).toBe('—');
    expect(text('system-detect-fps-1')).toBe('— / —');
    uptime += METRICS_REFRESH_MS / 1000;
    inferences += 3 * (STATS_REFRESH_MS / 1000);
    sampled += 5 * (STATS_REFRESH_MS / 1000);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(METRICS_REFRESH_MS);
    });
    await until(() => expect(text('engine-uptime')).toBe('1 min 45 s'));
    expect(text('detection-rate')).toBe('3');
    expect(text('system-detect-fps-1')).toBe('5 / 3');
  });

  it('says which endpoint failed and still shows the rest', async () => {
    render(routes(), () => {
      throw new ApiError(500, 'INTERNAL_ERROR', 'metrics task: boom');
    });
    await until(() => expect(text('system-error')).toContain('metrics:'));
    expect(text('system-error')).toContain('INTERNAL_ERROR');
    expect(text('system-error')).toContain('metrics task: boom');
    expect(text('card-error')).toContain('/metrics could not be read (INTERNAL_ERROR)');
    expect(text('engine-uptime')).toBe('—');
    expect(text('engine-version')).toBe('0.3.0');
    await until(() => expect(text('system-fps-1')).toBe('25'));
  });

  it('says it once when every endpoint fails the same way, and Retry asks again', async () => {
    const down = () => {
      throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the Vigil server: Failed to fetch');
    };
    const { request, blob } = render(
      { 'GET /cameras': down, 'GET /health': down, 'GET /detection/status': down },
      () => down() as never,
    );
    await until(() => expect($('[data-testid="system-error"] li')).not.toBeNull());
    await until(() => expect(text('system-error')).toContain('cameras, health, metrics, detection status:'));
    expect(host.querySelectorAll('[data-testid="system-error"] li')).toHaveLength(1);
    expect($('[data-testid="system-page"]')).not.toBeNull();
    const calls = request.mock.calls.length;
    const raw = blob.mock.calls.length;
    act(() => ($('[data-testid="system-error"] button') as HTMLButtonElement).click());
    await until(() => expect(request.mock.calls.length).toBeGreaterThan(calls));
    await until(() => expect(blob.mock.calls.length).toBeGreaterThanOrEqual(raw + 2));
  });
});

describe('failureLines', () => {
  it('groups the same failure, drops a 401 (the sign-in handles it)', () => {
    const a = new ApiError(500, 'INTERNAL_ERROR', 'x');
    const lines = failureLines([
      { what: 'health', error: a },
      { what: 'metrics', error: new ApiError(500, 'INTERNAL_ERROR', 'x') },
      { what: 'cameras', error: new ApiError(401, 'AUTH_TOKEN_INVALID', 'no') },
      { what: 'camera 3 status', error: new ApiError(404, 'CAMERA_NOT_FOUND', 'gone') },
    ]);
    expect(lines.map((l) => [l.whats, l.error.code])).toEqual([
      [['health', 'metrics'], 'INTERNAL_ERROR'],
      [['camera 3 status'], 'CAMERA_NOT_FOUND'],
    ]);
  });
});

describe('readWithPrevious', () => {
  it('keeps the cached reading as the one before', async () => {
    const cache = new Map<string, unknown>();
    const qc = { getQueryData: (k: readonly unknown[]) => cache.get(JSON.stringify(k)) } as never;
    const key = ['system', 'x'];
    const first = await readWithPrevious(qc, key, async () => 1, () => 10);
    expect(first).toEqual({ at: 10, value: 1, prev: null });
    cache.set(JSON.stringify(key), first);
    expect(await readWithPrevious(qc, key, async () => 2, () => 20)).toEqual({ at: 20, value: 2, prev: { at: 10, value: 1 } });
  });
});

describe('getHealth', () => {
  it('reads the plain JSON /health sends, and says so when it is not that', async () => {
    const answer = (body: string) => ({ blob: async () => new Blob([body]) }) as never;
    expect(await getHealth(answer(JSON.stringify(HEALTH)))).toEqual(HEALTH);
    await expect(getHealth(answer('<html>'))).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(getHealth(answer('{"success":true,"data":{}}'))).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
