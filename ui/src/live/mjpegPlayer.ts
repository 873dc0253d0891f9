// Why: the view every browser can show — JPEG frames from the MJPEG WebSocket put into an <img> through object URLs.
import type { BackoffOptions } from '../api/events';
import { LiveSocket, status } from './liveSocket';
import type { LiveSocketFactory, LiveStatus } from './liveSocket';
import { parseMjpegMessage } from './protocol';
import type { MjpegQualityName } from './protocol';

export interface ImageLike {
  src: string;
  addEventListener(type: 'load' | 'error', listener: () => void): void;
  removeEventListener(type: 'load' | 'error', listener: () => void): void;
}

export interface UrlFactory {
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
}

/** No frame for this long (the slowest level sends 5 a second) shows the view as waiting. */
const FRAME_STALL_MS = 3000;

/** A frame still not decoded after this long is given up on. */
const STUCK_MS = 3000;

/**
 * Shows the newest frame and never piles frames up: while the <img> is still decoding one, a newer
 * arrival replaces the waiting one (whose URL is revoked at once). The URL on screen is revoked
 * when the next one takes its place, so at most two object URLs exist.
 */
export class FrameSink {
  private readonly img: ImageLike;
  private readonly urls: UrlFactory;
  private shown: string | null = null;
  private loading: string | null = null;
  private pending: Blob | null = null;
  private loadingSince = 0;
  dropped = 0;
  displayed = 0;
  private readonly onDone = () => {
    if (this.loading === null) return;
    this.loading = null;
    this.displayed += 1;
    const next = this.pending;
    this.pending = null;
    if (next) this.show(next);
  };

  constructor(img: ImageLike, urls: UrlFactory = URL) {
    this.img = img;
    this.urls = urls;
    img.addEventListener('load', this.onDone);
    img.addEventListener('error', this.onDone);
  }

  push(jpeg: Blob): void {
    // An <img> that never reports back (detached, or a browser quirk) must not freeze the view.
    if (this.loading !== null && Date.now() - this.loadingSince > STUCK_MS) this.loading = null;
    if (this.loading !== null) {
      if (this.pending) this.dropped += 1;
      this.pending = jpeg;
      return;
    }
    this.show(jpeg);
  }

  private show(jpeg: Blob): void {
    const url = this.urls.createObjectURL(jpeg);
    const previous = this.shown;
    this.shown = url;
    this.loading = url;
    this.loadingSince = Date.now();
    this.img.src = url;
    if (previous) this.urls.revokeObjectURL(previous);
  }

  /** Let go of every URL (the <img> keeps nothing alive). */
  dispose(): void {
    this.img.removeEventListener('load', this.onDone);
    this.img.removeEventListener('error', this.onDone);
    if (this.shown) this.urls.revokeObjectURL(this.shown);
    this.shown = this.loading = null;
    this.pending = null;
  }
}

export interface MjpegPlayerOptions {
  url: (quality: MjpegQualityName) => string;
  img: ImageLike;
  quality?: MjpegQualityName;
  onStatus?: (s: LiveStatus) => void;
  /** The server's answer to a level change: the size and rate actually sent. */
  onQuality?: (q: { quality: string; width: number | null; height: number | null; fps: number | null }) => void;
  /** A message from the server worth showing that does not stop the stream (a refused level change). */
  onNotice?: (text: string) => void;
  urls?: UrlFactory;
  createSocket?: LiveSocketFactory;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
}

export class MjpegPlayer {
  private readonly opts: MjpegPlayerOptions;
  private readonly socket: LiveSocket;
  private sink: FrameSink | null = null;
  private _quality: MjpegQualityName;
  private _status: LiveStatus = status('stopped');
  private stopped = true;
  private lastFrameAt = 0;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  frames = 0;

  constructor(opts: MjpegPlayerOptions) {
    this.opts = opts;
    this._quality = opts.quality ?? 'low';
    this.socket = new LiveSocket({
      // A reconnect asks for the level chosen last, not the one the player started with.
      url: () => opts.url(this._quality),
      createSocket: opts.createSocket,
      backoff: opts.backoff,
      pingIntervalMs: opts.pingIntervalMs,
      onOpen: () => this.setStatus(status('waiting')),
      onText: (t) => {
        const msg = parseMjpegMessage(t);
        if (msg.type === 'quality') this.opts.onQuality?.(msg);
        // A refused level change (e.g. STREAM_LIMIT_EXCEEDED); frames keep coming at the old one.
        if (msg.type === 'error') this.opts.onNotice?.(`${msg.code}: ${msg.message}`);
      },
      onBinary: (buf) => {
        this.frames += 1;
        this.lastFrameAt = Date.now();
        this.sink?.push(new Blob([buf], { type: 'image/jpeg' }));
        this.setStatus(status('playing'));
      },
      onDown: (d) =>
        this.setStatus(
          d.retryInMs === null
            ? status('error', d.message ?? `Closed (${d.closeCode})`, d.code)
            : status('reconnecting', d.message, d.code),
        ),
    });
  }

  get quality(): MjpegQualityName {
    return this._quality;
  }

  get status(): LiveStatus {
    return this._status;
  }

  get dropped(): number {
    return this.sink?.dropped ?? 0;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.sink = new FrameSink(this.opts.img, this.opts.urls ?? URL);
    this.setStatus(status('connecting'));
    this.socket.start();
    // A camera that stops sending leaves the socket open: show the picture as no longer live.
    this.stallTimer = setInterval(() => {
      if (this._status.state === 'playing' && Date.now() - this.lastFrameAt > FRAME_STALL_MS) {
        this.setStatus(status('waiting'));
      }
    }, 1000);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.socket.stop();
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    this.sink?.dispose();
    this.sink = null;
    this.setStatus(status('stopped'));
  }

  /** Switch level on the open socket (`{"quality":"high"}`); remembered for reconnects either way. */
  setQuality(q: MjpegQualityName): void {
    if (q === this._quality) return;
    this._quality = q;
    this.socket.send({ quality: q });
  }

  private setStatus(s: LiveStatus): void {
    const cur = this._status;
    if (cur.state === s.state && cur.message === s.message && cur.code === s.code) return;
    this._status = s;
    this.opts.onStatus?.(s);
  }
}
