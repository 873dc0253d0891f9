// Why: stand-ins for WebSocket, MediaSource, SourceBuffer and <video> so the live players run under jsdom, with checks a real browser would make.
import type { SourceBufferLike } from '../live/appendQueue';
import type { LiveSocketLike } from '../live/liveSocket';
import type { MediaSourceLike, MseEnv, VideoLike } from '../live/msePlayer';

export class FakeSocket implements LiveSocketLike {
  static all: FakeSocket[] = [];
  static latest(): FakeSocket {
    const s = FakeSocket.all[FakeSocket.all.length - 1];
    if (!s) throw new Error('no socket was opened');
    return s;
  }
  readyState = 0;
  binaryType = 'blob';
  sent: string[] = [];
  closed = false;
  onopen: LiveSocketLike['onopen'] = null;
  onmessage: LiveSocketLike['onmessage'] = null;
  onclose: LiveSocketLike['onclose'] = null;
  onerror: LiveSocketLike['onerror'] = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: send on a socket that is not open');
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  text(msg: object | string) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  binary(...bytes: number[]) {
    this.onmessage?.({ data: new Uint8Array(bytes).buffer });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

type Listener = () => void;

class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();
  addEventListener(type: string, l: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: Listener) {
    this.listeners.get(type)?.delete(l);
  }
  emit(type: string) {
    for (const l of [...(this.listeners.get(type) ?? [])]) l();
  }
  count(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }
}

/**
 * Records what it was given. Like a browser, it throws InvalidStateError on an append or remove
 * while `updating`; an update finishes only when the test calls finish().
 */
export class FakeSourceBuffer extends Emitter implements SourceBufferLike {
  updating = false;
  /** Each op in the order the buffer received it: the bytes of appends as arrays, removes as ranges. */
  log: Array<number[] | { remove: [number, number] }> = [];
  violations = 0;
  /** Make the next appendBuffer throw this. */
  throwNext: Error | null = null;
  constructor(readonly mime: string) {
    super();
  }
  appendBuffer(data: BufferSource) {
    if (this.updating) {
      this.violations += 1;
      throw new DOMException('append while updating', 'InvalidStateError');
    }
    if (this.throwNext) {
      const e = this.throwNext;
      this.throwNext = null;
      throw e;
    }
    const buf = data instanceof ArrayBuffer ? data : (data as ArrayBufferView).buffer;
    this.log.push([...new Uint8Array(buf)]);
    this.updating = true;
  }
  remove(start: number, end: number) {
    if (this.updating) {
      this.violations += 1;
      throw new DOMException('remove while updating', 'InvalidStateError');
    }
    this.log.push({ remove: [start, end] });
    this.updating = true;
  }
  /** The browser finished the current append or remove. */
  finish() {
    if (!this.updating) throw new Error('finish() with nothing in flight');
    this.updating = false;
    this.emit('updateend');
  }
  /** Finish updates until the buffer is idle (each updateend may start the next op). */
  drain(limit = 1000) {
    let n = 0;
    while (this.updating && n++ < limit) this.finish();
  }
}

export class FakeMediaSource extends Emitter implements MediaSourceLike {
  static all: FakeMediaSource[] = [];
  readyState = 'closed';
  buffers: FakeSourceBuffer[] = [];
  removed: FakeSourceBuffer[] = [];
  constructor() {
    super();
    FakeMediaSource.all.push(this);
  }
  addSourceBuffer(mime: string) {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError');
    const sb = new FakeSourceBuffer(mime);
    this.buffers.push(sb);
    return sb;
  }
  removeSourceBuffer(sb: SourceBufferLike) {
    this.removed.push(sb as FakeSourceBuffer);
  }
  /** What the browser does once the object URL is attached to a <video>. */
  open() {
    this.readyState = 'open';
    this.emit('sourceopen');
  }
}

export function fakeEnv(supported: (mime: string) => boolean = (m) => m.includes('avc1')) {
  const urls = { created: [] as string[], revoked: [] as string[] };
  const env: MseEnv = {
    createMediaSource: () => new FakeMediaSource(),
    isTypeSupported: supported,
    createObjectURL: () => {
      const u = `blob:ms-${urls.created.length + 1}`;
      urls.created.push(u);
      return u;
    },
    revokeObjectURL: (u) => void urls.revoked.push(u),
  };
  return { env, urls };
}

export class FakeVideo extends Emitter implements VideoLike {
  src = '';
  private t = 0;
  paused = true;
  ranges: Array<[number, number]> = [];
  error: { code: number; message?: string } | null = null;
  plays = 0;
  seeks: number[] = [];
  loads = 0;
  /** A write is a seek by the player, and is recorded. */
  get currentTime() {
    return this.t;
  }
  set currentTime(x: number) {
    this.seeks.push(x);
    this.t = x;
  }
  /** Playback moved on by itself (not a seek). */
  playTo(x: number) {
    this.t = x;
  }
  get buffered() {
    const r = this.ranges;
    return {
      length: r.length,
      start: (i: number) => r[i]![0],
      end: (i: number) => r[i]![1],
    };
  }
  play() {
    this.plays += 1;
    this.paused = false;
    return Promise.resolve();
  }
  load() {
    this.loads += 1;
  }
  removeAttribute(name: string) {
    if (name === 'src') this.src = '';
  }
}
