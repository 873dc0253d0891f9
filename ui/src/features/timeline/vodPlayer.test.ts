// Why: proves the VOD player opens the playlist around the asked instant, starts hls.js there, seeks without reloading inside it, steps above the rate limit and reports "nothing recorded".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type HlsType from 'hls.js';
import { ApiError } from '../../api/client';
import { VodPlayer, vodHlsConfig } from './vodPlayer';
import type { VodStatus, VodVideo } from './vodPlayer';

const T = Date.UTC(2025, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();
/** 10 one-second pieces from T - 2 s, then a gap, then 5 more from T + 60 s. */
function playlist(base = T): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-TARGETDURATION:1'];
  lines.push('#EXT-X-MAP:URI="/api/v1/recordings/1/init.mp4"', `#EXT-X-PROGRAM-DATE-TIME:${iso(base - 2000)}`);
  for (let i = 0; i < 10; i++) lines.push('#EXTINF:1.000,', `/api/v1/recordings/1/media.m4s?offset=${i}&len=1&shift_ms=0`);
  lines.push(`#EXT-X-PROGRAM-DATE-TIME:${iso(base + 60_000)}`);
  for (let i = 0; i < 5; i++) lines.push('#EXTINF:1.000,', `/api/v1/recordings/1/media.m4s?offset=${i + 10}&len=1&shift_ms=0`);
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n');
}

type Handler = (ev: string, data: unknown) => void;
class FakeHls {
  static all: FakeHls[] = [];
  static isSupported() {
    return true;
  }
  static Events = { MANIFEST_PARSED: 'hlsManifestParsed', ERROR: 'hlsError' };
  handlers = new Map<string, Handler>();
  source: string | null = null;
  destroyed = false;
  constructor(readonly config: Record<string, unknown>) {
    FakeHls.all.push(this);
  }
  on(ev: string, h: Handler) {
    this.handlers.set(ev, h);
  }
  loadSource(u: string) {
    this.source = u;
  }
  attachMedia() {}
  recoverMediaError() {}
  destroy() {
    this.destroyed = true;
  }
  emit(ev: string, data: unknown = {}) {
    this.handlers.get(ev)?.(ev, data);
  }
}

class FakeVideo implements VodVideo {
  currentTime = 0;
  defaultPlaybackRate = 1;
  paused = true;
  readyState = 4;
  private rate = 1;
  private readonly ls = new Map<string, Set<() => void>>();
  constructor(private readonly maxRate = 16) {}
  get playbackRate() {
    return this.rate;
  }
  set playbackRate(v: number) {
    if (v > this.maxRate) throw new DOMException('no', 'NotSupportedError');
    this.rate = v;
  }
  play() {
    this.paused = false;
    this.fire('playing');
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
    this.fire('pause');
  }
  removeAttribute() {}
  load() {}
  addEventListener(t: string, l: () => void) {
    if (!this.ls.has(t)) this.ls.set(t, new Set());
    this.ls.get(t)!.add(l);
  }
  removeEventListener(t: string, l: () => void) {
    this.ls.get(t)?.delete(l);
  }
  fire(t: string) {
    for (const l of [...(this.ls.get(t) ?? [])]) l();
  }
  count() {
    let n = 0;
    for (const s of this.ls.values()) n += s.size;
    return n;
  }
}

let blobs: Blob[];
function setup(video = new FakeVideo(), fetchText = vi.fn(async () => playlist())) {
  const statuses: VodStatus[] = [];
  const times: number[] = [];
  const player = new VodPlayer({
    conn: { baseUrl: 'http://127.0.0.1:7878', token: 'tok' },
    video,
    fetchText,
    loadHls: async () => FakeHls as unknown as typeof HlsType,
    createObjectURL: (b) => {
      blobs.push(b);
      return `blob:${blobs.length}`;
    },
    revokeObjectURL: () => {},
    onStatus: (s) => statuses.push(s),
    onTime: (w) => times.push(w),
  });
  return { player, video, fetchText, statuses, times };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  FakeHls.all = [];
  blobs = [];
});
afterEach(() => vi.useRealTimers());

describe('vodHlsConfig', () => {
  it('starts where asked and sends the token on http requests only', () => {
    const cfg = vodHlsConfig('s3', 12.5);
    expect(cfg.startPosition).toBe(12.5);
    const xhr = { setRequestHeader: vi.fn() };
    cfg.xhrSetup!(xhr as unknown as XMLHttpRequest, 'blob:http://h/1', {} as never);
    expect(xhr.setRequestHeader).not.toHaveBeenCalled();
    cfg.xhrSetup!(xhr as unknown as XMLHttpRequest, 'http://h/api/v1/recordings/1/init.mp4', {} as never);
    expect(xhr.setRequestHeader).toHaveBeenCalledWith('Authorization', 'Bearer s3');
  });
});

describe('VodPlayer', () => {
  it('opens around the instant and starts hls.js at its player time', async () => {
    const { player, video, fetchText, times } = setup();
    void player.open(3, T + 3000);
    await flush();
    expect(fetchText).toHaveBeenCalledWith(`/api/v1/cameras/3/vod.m3u8?start=${T + 3000 - 60_000}&end=${T + 3000 + 1_800_000}`, expect.any(AbortSignal));
    const hls = FakeHls.all[0]!;
    // T + 3 s is 5 s into the playlist (it starts at T - 2 s).
    expect(hls.config.startPosition).toBe(5);
    expect(hls.source).toBe('blob:1');
    const text = await blobs[0]!.text();
    expect(text).toContain('#EXT-X-MAP:URI="http://127.0.0.1:7878/api/v1/recordings/1/init.mp4"');
    // Until the element is there, the asked instant is the time shown.
    expect(player.wallTime).toBe(T + 3000);
    expect(times[0]).toBe(T + 3000);
    hls.emit('hlsManifestParsed');
    await flush();
    expect(player.status.state).toBe('playing');
    video.currentTime = 5.25;
    video.fire('seeked');
    expect(player.wallTime).toBe(T + 3250);
    expect(times.at(-1)).toBe(T + 3250);
  });

  it('seeks inside the playlist without reloading, across a gap, and reloads outside it', async () => {
    const { player, video, fetchText } = setup();
    void player.open(3, T);
    await flush();
    FakeHls.all[0]!.emit('hlsManifestParsed');
    await flush();
    player.seek(T + 4000);
    expect(video.currentTime).toBe(6);
    expect(player.wallTime).toBe(T + 4000);
    // In the gap: the next recorded piece (player time 10 = T + 60 s).
    player.seek(T + 30_000);
    expect(video.currentTime).toBe(10);
    expect(fetchText).toHaveBeenCalledTimes(1);
    player.seek(T + 3_600_000);
    await flush();
    expect(fetchText).toHaveBeenCalledTimes(2);
    expect(FakeHls.all[0]!.destroyed).toBe(true);
  });

  it('says when nothing was recorded from the instant on', async () => {
    const fetchText = vi.fn(async () => {
      throw new ApiError(404, 'NO_RECORDINGS', 'nothing was recorded in that range');
    });
    const { player } = setup(new FakeVideo(), fetchText);
    await player.open(3, T);
    expect(player.status.state).toBe('empty');
    expect(FakeHls.all).toHaveLength(0);
    // An instant after everything in the playlist is empty too.
    const late = setup();
    await late.player.open(3, T + 3_600_000);
    await flush();
    expect(late.player.status.state).toBe('empty');
  });

  it('plays 16× on a browser that stops at 4× by seeking the rest', async () => {
    const video = new FakeVideo(4);
    const { player } = setup(video);
    void player.open(3, T - 2000);
    await flush();
    FakeHls.all[0]!.emit('hlsManifestParsed');
    await flush();
    player.setSpeed(16);
    expect(video.playbackRate).toBe(4);
    expect(video.defaultPlaybackRate).toBe(4);
    video.currentTime = 0;
    await vi.advanceTimersByTimeAsync(500);
    // 12 s of extra media per real second: 6 s per half-second tick.
    expect(video.currentTime).toBe(6);
    player.setSpeed(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(video.currentTime).toBe(6);
    expect(video.playbackRate).toBe(2);
  });

  it('goes on past the end of the playlist and cleans up on destroy', async () => {
    const { player, video, fetchText } = setup();
    void player.open(3, T);
    await flush();
    FakeHls.all[0]!.emit('hlsManifestParsed');
    await flush();
    video.fire('ended');
    await flush();
    expect(fetchText).toHaveBeenLastCalledWith(
      `/api/v1/cameras/3/vod.m3u8?start=${T + 65_000 - 60_000}&end=${T + 65_000 + 1_800_000}`,
      expect.any(AbortSignal),
    );
    player.destroy();
    expect(FakeHls.all.every((h) => h.destroyed)).toBe(true);
    expect(video.count()).toBe(0);
  });

  it('waits for more recording when it plays up to now, and stops at an old end', async () => {
    let calls = 0;
    const fetchText = vi.fn(async () => {
      calls += 1;
      if (calls === 2) throw new ApiError(404, 'NO_RECORDINGS', 'nothing was recorded in that range');
      // Later, what was recorded since: from the old end on.
      return playlist(calls === 1 ? T : T + 67_000);
    });
    const video = new FakeVideo();
    const statuses: VodStatus[] = [];
    const player = new VodPlayer({
      conn: { baseUrl: 'http://h', token: 't' },
      video,
      fetchText,
      loadHls: async () => FakeHls as unknown as typeof HlsType,
      createObjectURL: () => 'blob:x',
      revokeObjectURL: () => {},
      onStatus: (s) => statuses.push(s),
      now: () => T + 70_000,
    });
    void player.open(3, T);
    await flush();
    FakeHls.all[0]!.emit('hlsManifestParsed');
    await flush();
    video.fire('ended');
    await flush();
    expect(player.status).toEqual({ state: 'buffering', message: 'Waiting for the recording to catch up…' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetchText).toHaveBeenCalledTimes(3);
    expect(FakeHls.all).toHaveLength(2);
    // An end long ago is the end.
    const old = setup(new FakeVideo(), vi.fn(async () => {
      throw new ApiError(404, 'NO_RECORDINGS', 'none');
    }));
    await old.player.open(3, T);
    expect(old.player.status.state).toBe('empty');
    player.destroy();
  });
});
