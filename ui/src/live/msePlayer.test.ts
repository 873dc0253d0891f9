// Why: drives the MSE player through a fake socket, MediaSource and <video>: init then media in order, live-edge jumps, trimming, fallback and reconnects.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeMediaSource, FakeSocket, FakeVideo, fakeEnv } from '../test/liveFakes';
import type { LiveStatus } from './liveSocket';
import { MsePlayer } from './msePlayer';

const H264 = 'video/mp4; codecs="avc1.64001e"';
const H265 = 'video/mp4; codecs="hvc1.1.6.L93.B0"';
const URL_ = 'ws://127.0.0.1:7878/api/v1/cameras/1/stream/mse?token=t';

function setup() {
  const video = new FakeVideo();
  const { env, urls } = fakeEnv();
  const statuses: LiveStatus[] = [];
  const onUnsupported = vi.fn();
  const player = new MsePlayer({
    url: () => URL_,
    video,
    env,
    createSocket: (u) => new FakeSocket(u),
    backoff: { baseMs: 100, maxMs: 1000, jitter: 0 },
    checkIntervalMs: 500,
    onStatus: (s) => statuses.push(s),
    onUnsupported,
  });
  player.start();
  return { player, video, urls, statuses, onUnsupported, ws: FakeSocket.latest() };
}

/** Open the socket, send init + init segment + fragments, and open the MediaSource. */
function playing(s: ReturnType<typeof setup>, fragments = 3) {
  s.ws.open();
  s.ws.text({ type: 'init', mime: H264, codec: 'avc1.64001e', width: 640, height: 360 });
  const ms = FakeMediaSource.all[FakeMediaSource.all.length - 1]!;
  ms.open();
  const sb = ms.buffers[0]!;
  s.ws.binary(0); // init segment
  for (let i = 1; i <= fragments; i++) s.ws.binary(i);
  sb.drain();
  return { ms, sb };
}

beforeEach(() => {
  FakeSocket.all = [];
  FakeMediaSource.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MsePlayer', () => {
  it('opens the MSE socket for binary data and appends the init segment, then fragments, in order', () => {
    const s = setup();
    expect(s.ws.url).toBe(URL_);
    expect(s.ws.binaryType).toBe('arraybuffer');
    s.ws.open();
    s.ws.binary(99); // before init: not ours to append
    s.ws.text({ type: 'init', mime: H264, codec: 'avc1.64001e', width: 640, height: 360 });
    expect(s.video.src).toBe('blob:ms-1');
    s.ws.binary(0);
    s.ws.binary(1);
    const ms = FakeMediaSource.all[0]!;
    ms.open();
    expect(s.urls.revoked).toEqual(['blob:ms-1']);
    const sb = ms.buffers[0]!;
    expect(sb.mime).toBe(H264);
    s.ws.binary(2);
    s.ws.binary(3);
    sb.drain();
    expect(sb.log).toEqual([[0], [1], [2], [3]]);
    expect(sb.violations).toBe(0);
    expect(s.player.stats).toMatchObject({ inits: 1, fragments: 4 });
  });

  it('jumps to the live edge when more than 1.5 s behind, and starts playback', () => {
    const s = setup();
    playing(s);
    s.video.ranges = [[100, 101]];
    vi.advanceTimersByTime(500);
    // The first fragment's time is far from 0: the playhead is moved into the data.
    expect(s.video.seeks).toEqual([100.5]);
    expect(s.video.plays).toBeGreaterThan(0);
    s.video.ranges = [[100, 102.9]];
    s.video.playTo(101.5); // 1.4 s behind: fine
    vi.advanceTimersByTime(500);
    expect(s.video.seeks).toEqual([100.5]);
    s.video.ranges = [[100, 103.2]];
    s.video.playTo(101.6); // 1.6 s behind: jump
    vi.advanceTimersByTime(500);
    expect(s.video.seeks).toEqual([100.5, 102.7]);
    expect(s.player.stats.jumps.behind).toBe(2);
  });

  it('on {"type":"skip"} jumps to the newest data once it arrives', () => {
    const s = setup();
    playing(s);
    s.video.ranges = [[10, 11]];
    s.video.playTo(10.9);
    s.ws.text({ type: 'skip' });
    expect(s.video.seeks).toEqual([]); // nothing newer buffered yet
    s.video.ranges = [
      [10, 11],
      [12, 12.6],
    ];
    vi.advanceTimersByTime(500);
    expect(s.video.seeks).toEqual([12.1]);
    expect(s.player.stats.jumps.skip).toBe(1);
    expect(s.player.stats.skips).toBe(1);
  });

  it('trims buffered data older than 30 s behind the playhead', () => {
    const s = setup();
    const { sb } = playing(s);
    s.video.ranges = [[0, 50]];
    s.video.playTo(49.8);
    vi.advanceTimersByTime(500);
    sb.drain();
    expect(sb.log).toContainEqual({ remove: [0, 19.799999999999997] });
    expect(sb.violations).toBe(0);
  });

  it('reports a codec the browser cannot decode, closes and does not retry', () => {
    const s = setup();
    s.ws.open();
    s.ws.text({ type: 'init', mime: H265, codec: 'hvc1.1.6.L93.B0', width: 640, height: 360 });
    expect(s.onUnsupported).toHaveBeenCalledWith(H265);
    expect(s.ws.closed).toBe(true);
    expect(FakeMediaSource.all).toHaveLength(0);
    expect(s.player.status).toMatchObject({ state: 'error', code: 'UNSUPPORTED_CODEC' });
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('reconnects with backoff after a drop and starts a fresh MediaSource at the new init', () => {
    const s = setup();
    const first = playing(s);
    s.ws.drop(1006);
    expect(s.player.status.state).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    const ws2 = FakeSocket.latest();
    ws2.open();
    ws2.binary(7); // media from before the new init is not appended anywhere
    ws2.text({ type: 'init', mime: H264 });
    expect(FakeMediaSource.all).toHaveLength(2);
    expect(first.ms.removed).toEqual([first.sb]);
    const ms2 = FakeMediaSource.all[1]!;
    ms2.open();
    ws2.binary(0);
    ws2.binary(1);
    ms2.buffers[0]!.drain();
    expect(ms2.buffers[0]!.log).toEqual([[0], [1]]);
    expect(first.sb.log).toEqual([[0], [1], [2], [3]]);
  });

  it('stops with an error on 4401 and 4404', () => {
    for (const code of [4401, 4404]) {
      FakeSocket.all = [];
      const s = setup();
      s.ws.open();
      s.ws.drop(code);
      expect(s.player.status.state).toBe('error');
      vi.advanceTimersByTime(60_000);
      expect(FakeSocket.all).toHaveLength(1);
      s.player.stop();
    }
  });

  it('starts over when an append fails for a reason other than a full buffer', () => {
    const s = setup();
    const { sb } = playing(s);
    sb.throwNext = new DOMException('detached', 'InvalidStateError');
    s.ws.binary(4);
    expect(s.player.status).toMatchObject({ state: 'reconnecting', code: 'MEDIA_ERROR' });
    expect(s.ws.closed).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stop() closes the socket, lets go of the MediaSource and stops checking', () => {
    const s = setup();
    playing(s);
    s.player.stop();
    expect(s.ws.closed).toBe(true);
    expect(s.video.src).toBe('');
    expect(s.player.status.state).toBe('stopped');
    s.video.ranges = [[0, 100]];
    vi.advanceTimersByTime(5000);
    expect(s.video.seeks).toEqual([]);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
