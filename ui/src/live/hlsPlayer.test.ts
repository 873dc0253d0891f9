// Why: proves hls.js gets the bearer token per request and plain (not low-latency) live settings, and that fatal errors lead to recovery.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type HlsType from 'hls.js';
import { HlsPlayer, hlsConfig, hlsRecovery } from './hlsPlayer';

describe('hlsConfig', () => {
  it('sends Authorization on every request and keeps LL-HLS off with a short live sync', () => {
    const cfg = hlsConfig('s3cret');
    const xhr = { setRequestHeader: vi.fn() };
    cfg.xhrSetup!(xhr as unknown as XMLHttpRequest, 'http://h/api/v1/cameras/1/hls/live.m3u8', {} as never);
    expect(xhr.setRequestHeader).toHaveBeenCalledWith('Authorization', 'Bearer s3cret');
    expect(cfg.lowLatencyMode).toBe(false);
    expect(cfg.liveSyncDurationCount).toBeLessThanOrEqual(3);
    expect(cfg.liveMaxLatencyDurationCount!).toBeGreaterThan(cfg.liveSyncDurationCount!);
    // The first playlist request may wait ~10 s for the first segment.
    expect(cfg.manifestLoadPolicy!.default.maxTimeToFirstByteMs).toBeGreaterThan(10_000);
  });
});

describe('hlsRecovery', () => {
  it('ignores non-fatal errors, recovers media errors twice, then recreates', () => {
    expect(hlsRecovery({ fatal: false, type: 'networkError' as never }, 0)).toBe('none');
    expect(hlsRecovery({ fatal: true, type: 'mediaError' as never }, 0)).toBe('recoverMedia');
    expect(hlsRecovery({ fatal: true, type: 'mediaError' as never }, 1)).toBe('recoverMedia');
    expect(hlsRecovery({ fatal: true, type: 'mediaError' as never }, 2)).toBe('recreate');
    expect(hlsRecovery({ fatal: true, type: 'networkError' as never }, 0)).toBe('recreate');
    expect(hlsRecovery({ fatal: true, type: 'otherError' as never }, 0)).toBe('recreate');
  });
});

type Handler = (ev: string, data: unknown) => void;

class FakeHls {
  static all: FakeHls[] = [];
  static supported = true;
  static isSupported() {
    return FakeHls.supported;
  }
  static Events = { MANIFEST_PARSED: 'hlsManifestParsed', ERROR: 'hlsError' };
  handlers = new Map<string, Handler>();
  source: string | null = null;
  media: unknown = null;
  destroyed = false;
  recovered = 0;
  constructor(readonly config: Record<string, unknown>) {
    FakeHls.all.push(this);
  }
  on(ev: string, h: Handler) {
    this.handlers.set(ev, h);
  }
  loadSource(u: string) {
    this.source = u;
  }
  attachMedia(m: unknown) {
    this.media = m;
  }
  recoverMediaError() {
    this.recovered += 1;
  }
  destroy() {
    this.destroyed = true;
  }
  emit(ev: string, data: unknown = {}) {
    this.handlers.get(ev)?.(ev, data);
  }
}

function video() {
  return {
    play: vi.fn(() => Promise.resolve()),
    removeAttribute: vi.fn(),
    load: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
  };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('HlsPlayer', () => {
  beforeEach(() => {
    FakeHls.all = [];
    FakeHls.supported = true;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  function setup() {
    const v = video();
    const player = new HlsPlayer({
      url: 'http://h/api/v1/cameras/1/hls/live.m3u8',
      token: 'tok',
      video: v,
      loadHls: async () => FakeHls as unknown as typeof HlsType,
      backoff: { baseMs: 100, maxMs: 1000, jitter: 0 },
    });
    player.start();
    return { v, player };
  }

  it('loads the playlist into the video and plays once the manifest is parsed', async () => {
    const { v, player } = setup();
    await flush();
    const hls = FakeHls.all[0]!;
    expect(hls.source).toBe('http://h/api/v1/cameras/1/hls/live.m3u8');
    expect(hls.media).toBe(v);
    expect(hls.config.lowLatencyMode).toBe(false);
    hls.emit('hlsManifestParsed');
    await flush();
    expect(v.play).toHaveBeenCalled();
    expect(player.status.state).toBe('waiting');
  });

  it('recovers a fatal media error in place and replaces hls.js after a fatal network error', async () => {
    const { player } = setup();
    await flush();
    const hls = FakeHls.all[0]!;
    hls.emit('hlsError', { fatal: true, type: 'mediaError', details: 'bufferStalledError' });
    expect(hls.recovered).toBe(1);
    expect(hls.destroyed).toBe(false);
    hls.emit('hlsError', { fatal: true, type: 'networkError', details: 'manifestLoadError', response: { code: 503 } });
    expect(hls.destroyed).toBe(true);
    expect(player.status).toMatchObject({ state: 'reconnecting', code: 'HLS_ERROR' });
    expect(player.status.message).toContain('HTTP 503');
    await vi.advanceTimersByTimeAsync(99);
    expect(FakeHls.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeHls.all).toHaveLength(2);
    player.stop();
    expect(FakeHls.all[1]!.destroyed).toBe(true);
  });

  it('says so when the browser cannot run hls.js', async () => {
    FakeHls.supported = false;
    const { player } = setup();
    await flush();
    expect(FakeHls.all).toHaveLength(0);
    expect(player.status).toMatchObject({ state: 'error', code: 'HLS_UNSUPPORTED' });
  });
});
