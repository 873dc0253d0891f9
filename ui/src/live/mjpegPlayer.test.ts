// Why: proves MJPEG frames reach the <img> through object URLs that are revoked, frames never pile up, and quality switches survive reconnects.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/liveFakes';
import { FrameSink, MjpegPlayer } from './mjpegPlayer';
import type { ImageLike } from './mjpegPlayer';

class FakeImg implements ImageLike {
  src = '';
  private readonly ls = new Map<string, Set<() => void>>();
  addEventListener(t: string, l: () => void) {
    if (!this.ls.has(t)) this.ls.set(t, new Set());
    this.ls.get(t)!.add(l);
  }
  removeEventListener(t: string, l: () => void) {
    this.ls.get(t)?.delete(l);
  }
  fire(t: 'load' | 'error') {
    for (const l of [...(this.ls.get(t) ?? [])]) l();
  }
}

function urlFactory() {
  const live = new Map<string, Blob>();
  let n = 0;
  return {
    live,
    created: [] as Blob[],
    createObjectURL(b: Blob) {
      const u = `blob:f${++n}`;
      live.set(u, b);
      this.created.push(b);
      return u;
    },
    revokeObjectURL(u: string) {
      if (!live.delete(u)) throw new Error(`revoked twice or never made: ${u}`);
    },
  };
}

const jpeg = (n: number) => new Blob([new Uint8Array([0xff, 0xd8, n])], { type: 'image/jpeg' });

describe('FrameSink', () => {
  it('shows each frame and revokes the previous URL once the next takes its place', () => {
    const img = new FakeImg();
    const urls = urlFactory();
    const sink = new FrameSink(img, urls);
    sink.push(jpeg(1));
    expect(img.src).toBe('blob:f1');
    img.fire('load');
    sink.push(jpeg(2));
    expect(img.src).toBe('blob:f2');
    expect([...urls.live.keys()]).toEqual(['blob:f2']);
    img.fire('load');
    expect(sink.displayed).toBe(2);
    sink.dispose();
    expect(urls.live.size).toBe(0);
  });

  it('while a frame decodes keeps only the newest arrival, dropping the ones between', () => {
    const img = new FakeImg();
    const urls = urlFactory();
    const sink = new FrameSink(img, urls);
    const frames = [1, 2, 3, 4].map(jpeg);
    for (const f of frames) sink.push(f);
    expect(img.src).toBe('blob:f1');
    expect(urls.created).toHaveLength(1); // no URLs made for frames never shown
    expect(sink.dropped).toBe(2);
    img.fire('load');
    expect(img.src).toBe('blob:f2');
    expect(urls.created).toEqual([frames[0], frames[3]]);
    expect([...urls.live.keys()]).toEqual(['blob:f2']);
    // A broken frame does not stall the sink either.
    sink.push(jpeg(5));
    img.fire('error');
    expect(img.src).toBe('blob:f3');
  });
});

describe('MjpegPlayer', () => {
  beforeEach(() => {
    FakeSocket.all = [];
  });
  afterEach(() => {
    FakeSocket.all = [];
  });

  function setup() {
    const img = new FakeImg();
    const urls = urlFactory();
    const qualities: unknown[] = [];
    const player = new MjpegPlayer({
      url: (q) => `ws://h/api/v1/cameras/1/stream?quality=${q}&token=t`,
      img,
      urls,
      createSocket: (u) => new FakeSocket(u),
      backoff: { baseMs: 0, maxMs: 0, jitter: 0 },
      onQuality: (q) => qualities.push(q),
    });
    player.start();
    return { img, urls, player, qualities };
  }

  it('turns binary messages into image/jpeg blobs on the <img>', async () => {
    const { img, urls, player } = setup();
    const ws = FakeSocket.latest();
    expect(ws.url).toContain('quality=low');
    ws.open();
    ws.binary(0xff, 0xd8, 0xff, 0xe0);
    expect(img.src).toBe('blob:f1');
    const blob = urls.created[0]!;
    expect(blob.type).toBe('image/jpeg');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    expect(player.status.state).toBe('playing');
    expect(player.frames).toBe(1);
  });

  it('switches quality over the open socket and reconnects at the chosen level', async () => {
    const { player, qualities } = setup();
    const ws = FakeSocket.latest();
    ws.open();
    player.setQuality('high');
    expect(ws.sent.map((s) => JSON.parse(s))).toEqual([{ quality: 'high' }]);
    ws.text({ type: 'quality', quality: 'high', width: 1280, height: 720, fps: 15 });
    expect(qualities).toEqual([{ type: 'quality', quality: 'high', width: 1280, height: 720, fps: 15 }]);
    player.setQuality('high'); // unchanged: nothing sent
    expect(ws.sent).toHaveLength(1);
    ws.drop(1006);
    await new Promise((r) => setTimeout(r, 5));
    expect(FakeSocket.all).toHaveLength(2);
    expect(FakeSocket.latest().url).toContain('quality=high');
  });

  it('stop() revokes what is on screen and closes the socket', () => {
    const { img, urls, player } = setup();
    const ws = FakeSocket.latest();
    ws.open();
    ws.binary(1);
    img.fire('load');
    player.stop();
    expect(ws.closed).toBe(true);
    expect(urls.live.size).toBe(0);
    expect(player.status.state).toBe('stopped');
  });
});

describe('MjpegPlayer notices', () => {
  it('passes on a refused level change without stopping', () => {
    FakeSocket.all = [];
    const notices: string[] = [];
    const img = new FakeImg();
    const player = new MjpegPlayer({
      url: (q) => `ws://h/s?quality=${q}`,
      img,
      urls: urlFactory(),
      createSocket: (u) => new FakeSocket(u),
      onNotice: (t) => notices.push(t),
    });
    player.start();
    const ws = FakeSocket.latest();
    ws.open();
    player.setQuality('high');
    ws.text({ type: 'error', code: 'STREAM_LIMIT_EXCEEDED', message: 'too many live pipelines' });
    expect(notices).toEqual(['STREAM_LIMIT_EXCEEDED: too many live pipelines']);
    ws.binary(1);
    expect(player.status.state).toBe('playing');
    player.stop();
  });
});

describe('MjpegPlayer stalls', () => {
  afterEach(() => vi.useRealTimers());

  it('shows waiting when frames stop while the socket stays open, and playing when they resume', () => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    const img = new FakeImg();
    const player = new MjpegPlayer({
      url: (q) => `ws://h/s?quality=${q}`,
      img,
      urls: urlFactory(),
      createSocket: (u) => new FakeSocket(u),
    });
    player.start();
    const ws = FakeSocket.latest();
    ws.open();
    ws.binary(1);
    img.fire('load');
    vi.advanceTimersByTime(3000);
    expect(player.status.state).toBe('playing');
    vi.advanceTimersByTime(1000);
    expect(player.status.state).toBe('waiting');
    ws.binary(2);
    expect(player.status.state).toBe('playing');
    player.stop();
  });
});
