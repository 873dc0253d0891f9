// Why: low-latency live view — the MSE WebSocket's init segment and fragments appended to a SourceBuffer, kept at the live edge.
import type { BackoffOptions } from '../api/events';
import { AppendQueue } from './appendQueue';
import type { QueueOp, SourceBufferLike } from './appendQueue';
import { liveEdgeSeek, rangesOf, trimRange } from './liveEdge';
import type { LiveEdgeOptions, LiveEdgeReason } from './liveEdge';
import { LiveSocket, status } from './liveSocket';
import type { LiveSocketFactory, LiveStatus } from './liveSocket';
import { parseMseMessage } from './protocol';

export interface MediaSourceLike {
  readonly readyState: string;
  addSourceBuffer(mime: string): SourceBufferLike;
  removeSourceBuffer?(sb: SourceBufferLike): void;
  addEventListener(type: 'sourceopen', listener: () => void): void;
  removeEventListener(type: 'sourceopen', listener: () => void): void;
}

/** The part of <video> the player drives. */
export interface VideoLike {
  src: string;
  currentTime: number;
  readonly paused: boolean;
  readonly buffered: Pick<TimeRanges, 'length' | 'start' | 'end'>;
  readonly error: { code: number; message?: string } | null;
  play(): Promise<void> | void;
  load(): void;
  removeAttribute(name: string): void;
  addEventListener(type: 'error', listener: () => void): void;
  removeEventListener(type: 'error', listener: () => void): void;
}

/** Browser pieces behind a seam, so the player runs under jsdom with fakes. */
export interface MseEnv {
  createMediaSource(): MediaSourceLike;
  isTypeSupported(mime: string): boolean;
  createObjectURL(ms: MediaSourceLike): string;
  revokeObjectURL(url: string): void;
}

export function browserMseEnv(): MseEnv {
  return {
    createMediaSource: () => new MediaSource() as unknown as MediaSourceLike,
    isTypeSupported: (mime) => typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(mime),
    createObjectURL: (ms) => URL.createObjectURL(ms as unknown as MediaSource),
    revokeObjectURL: (url) => URL.revokeObjectURL(url),
  };
}

export interface MsePlayerStats {
  inits: number;
  fragments: number;
  bytes: number;
  skips: number;
  jumps: Record<LiveEdgeReason, number>;
  restarts: number;
}

export interface MsePlayerOptions {
  url: () => string;
  video: VideoLike;
  onStatus?: (s: LiveStatus) => void;
  /** The camera's codec cannot be played here (H.265 in Chromium): the tile should fall back. */
  onUnsupported?: (mime: string) => void;
  /** Each init message, e.g. to show the resolution. */
  onInit?: (info: { mime: string; width: number | null; height: number | null }) => void;
  env?: MseEnv;
  createSocket?: LiveSocketFactory;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  /** How often the live edge and the buffer size are checked. */
  checkIntervalMs?: number;
  liveEdge?: LiveEdgeOptions;
  /** Seconds of buffer kept behind the playhead. */
  keepSeconds?: number;
  /** Queued bytes past which the player starts over at the newest keyframe. */
  maxPendingBytes?: number;
}

/** How long a `skip` waits for the fragments that let it land before it is forgotten. */
const SKIP_WAIT_MS = 5000;
/** Playback not advancing for this long shows as waiting. */
const STALL_MS = 2000;

export class MsePlayer {
  private readonly opts: MsePlayerOptions;
  private readonly env: MseEnv;
  private readonly socket: LiveSocket;
  private ms: MediaSourceLike | null = null;
  private sb: SourceBufferLike | null = null;
  private queue: AppendQueue | null = null;
  private objectUrl: string | null = null;
  private onSourceOpen: (() => void) | null = null;
  /** After (re)connecting, media is ignored until the init message says what it is. */
  private awaitingInit = true;
  private skipSince: number | null = null;
  private checkTimer: ReturnType<typeof setInterval> | null = null;
  private lastTime = -1;
  private lastAdvanceAt = 0;
  private _status: LiveStatus = status('stopped');
  private stopped = true;
  readonly stats: MsePlayerStats = {
    inits: 0,
    fragments: 0,
    bytes: 0,
    skips: 0,
    jumps: { behind: 0, skip: 0, gap: 0 },
    restarts: 0,
  };
  private readonly handleVideoError = () => {
    const err = this.opts.video.error;
    this.fail(`Video error ${err?.code ?? '?'}${err?.message ? `: ${err.message}` : ''}`, 'MEDIA_ERROR');
  };

  constructor(opts: MsePlayerOptions) {
    this.opts = opts;
    this.env = opts.env ?? browserMseEnv();
    this.socket = new LiveSocket({
      url: opts.url,
      createSocket: opts.createSocket,
      backoff: opts.backoff,
      pingIntervalMs: opts.pingIntervalMs,
      onOpen: () => {
        this.awaitingInit = true;
        this.setStatus(status('waiting'));
      },
      onText: (t) => this.handleText(t),
      onBinary: (b) => this.handleBinary(b),
      onDown: (d) => {
        this.awaitingInit = true;
        if (d.retryInMs === null) {
          this.setStatus(status('error', d.message ?? `Closed (${d.closeCode})`, d.code));
          this.stopChecks();
        } else {
          this.setStatus(status('reconnecting', d.message, d.code));
        }
      },
    });
  }

  get status(): LiveStatus {
    return this._status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.video.addEventListener('error', this.handleVideoError);
    this.setStatus(status('connecting'));
    this.socket.start();
    const every = this.opts.checkIntervalMs ?? 500;
    this.checkTimer = setInterval(() => this.check(), every);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.socket.stop();
    this.stopChecks();
    this.opts.video.removeEventListener('error', this.handleVideoError);
    this.teardownMedia();
    this.setStatus(status('stopped'));
  }

  private stopChecks(): void {
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
  }

  private handleText(text: string): void {
    const msg = parseMseMessage(text);
    switch (msg.type) {
      case 'init':
        this.stats.inits += 1;
        if (!this.env.isTypeSupported(msg.mime)) {
          this.socket.stop();
          this.stopChecks();
          this.teardownMedia();
          this.setStatus(status('error', `This browser cannot play ${msg.mime} through MSE.`, 'UNSUPPORTED_CODEC'));
          this.opts.onUnsupported?.(msg.mime);
          return;
        }
        this.opts.onInit?.({ mime: msg.mime, width: msg.width, height: msg.height });
        this.startMedia(msg.mime);
        return;
      case 'skip':
        this.stats.skips += 1;
        this.skipSince = Date.now();
        this.check();
        return;
      default:
        return; // pong and anything newer than this page: nothing to do.
    }
  }

  private handleBinary(data: ArrayBuffer): void {
    if (this.awaitingInit || !this.queue) return;
    this.stats.fragments += 1;
    this.stats.bytes += data.byteLength;
    this.queue.append(data);
  }

  /** A new MediaSource per init: a new init may change codec or size, and restarts the timeline. */
  private startMedia(mime: string): void {
    this.teardownMedia();
    const video = this.opts.video;
    const queue = new AppendQueue({
      maxPendingBytes: this.opts.maxPendingBytes ?? 32 * 1024 * 1024,
      onError: (e, op) => this.handleQueueError(e, op),
      onOverflow: () => this.fail('The player fell too far behind', 'BACKLOG'),
      onUpdateEnd: () => this.check(),
    });
    this.queue = queue;
    this.awaitingInit = false;
    this.lastTime = -1;
    let ms: MediaSourceLike;
    try {
      ms = this.env.createMediaSource();
    } catch (e) {
      this.fail(`Cannot create a MediaSource: ${e instanceof Error ? e.message : String(e)}`, 'MEDIA_ERROR');
      return;
    }
    this.ms = ms;
    const onOpen = () => {
      ms.removeEventListener('sourceopen', onOpen);
      this.onSourceOpen = null;
      if (this.ms !== ms) return;
      if (this.objectUrl) {
        this.env.revokeObjectURL(this.objectUrl);
        this.objectUrl = null;
      }
      try {
        const sb = ms.addSourceBuffer(mime);
        this.sb = sb;
        queue.attach(sb);
      } catch (e) {
        this.fail(`Cannot add a SourceBuffer for ${mime}: ${e instanceof Error ? e.message : String(e)}`, 'MEDIA_ERROR');
      }
    };
    this.onSourceOpen = onOpen;
    ms.addEventListener('sourceopen', onOpen);
    this.objectUrl = this.env.createObjectURL(ms);
    video.src = this.objectUrl;
  }

  private teardownMedia(): void {
    this.queue?.close();
    this.queue = null;
    const ms = this.ms;
    if (ms && this.onSourceOpen) ms.removeEventListener('sourceopen', this.onSourceOpen);
    this.onSourceOpen = null;
    if (ms && this.sb && ms.readyState === 'open') {
      try {
        ms.removeSourceBuffer?.(this.sb);
      } catch {
        // Already gone with its MediaSource.
      }
    }
    this.sb = null;
    this.ms = null;
    if (this.objectUrl) this.env.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    this.skipSince = null;
    const video = this.opts.video;
    if (ms) {
      video.removeAttribute('src');
      try {
        video.load();
      } catch {
        // jsdom and detached elements.
      }
    }
  }

  private handleQueueError(e: unknown, op: QueueOp | null): void {
    const name = e instanceof Error ? e.name : '';
    if (name === 'QuotaExceededError' && op?.kind === 'append') {
      // The buffer is full: free all but a few seconds behind the playhead and go on.
      const t = this.opts.video.currentTime;
      const ranges = rangesOf(this.opts.video.buffered);
      const first = ranges[0];
      if (first && t - 5 > first[0]) this.queue?.remove(first[0], t - 5);
      return;
    }
    this.fail(`Append failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, 'MEDIA_ERROR');
  }

  /** Something broke the media pipeline: start over with a fresh connection (and so a fresh init). */
  private fail(message: string, code: string): void {
    if (this.stopped) return;
    this.stats.restarts += 1;
    this.teardownMedia();
    this.awaitingInit = true;
    this.setStatus(status('reconnecting', message, code));
    this.socket.restart(message, code);
  }

  /** Keep playing at the live edge, drop old buffer, and report playing or waiting. */
  check(): void {
    const video = this.opts.video;
    const sb = this.sb;
    if (this.stopped || !sb || !this.queue) return;
    let ranges: Array<[number, number]>;
    try {
      ranges = rangesOf(video.buffered);
    } catch {
      return; // The SourceBuffer was removed under us.
    }
    const now = Date.now();
    if (this.skipSince !== null && now - this.skipSince > SKIP_WAIT_MS) this.skipSince = null;
    const seek = liveEdgeSeek(
      { currentTime: video.currentTime, buffered: ranges, skipRequested: this.skipSince !== null },
      this.opts.liveEdge,
    );
    if (seek) {
      video.currentTime = seek.to;
      this.stats.jumps[seek.reason] += 1;
      this.skipSince = null;
      this.lastTime = video.currentTime; // A jump is not playback.
    }
    if (!sb.updating) {
      const trim = trimRange(video.currentTime, ranges, { keepSeconds: this.opts.keepSeconds ?? 30 });
      if (trim) this.queue.remove(trim[0], trim[1]);
    }
    if (ranges.length > 0 && video.paused) {
      // Muted autoplay is allowed everywhere; a refusal is retried at the next check.
      try {
        void Promise.resolve(video.play()).catch(() => {});
      } catch {
        // Not allowed yet.
      }
    }
    const t = video.currentTime;
    if (t !== this.lastTime) {
      if (this.lastTime >= 0) this.lastAdvanceAt = now;
      this.lastTime = t;
    }
    const advancing = this.lastAdvanceAt > 0 && now - this.lastAdvanceAt < STALL_MS;
    const state = advancing ? 'playing' : 'waiting';
    if (this._status.state !== state || (state === 'playing' && this._status.message)) {
      if (this._status.state === 'reconnecting' && !advancing) return;
      this.setStatus(status(state));
    }
  }

  private setStatus(s: LiveStatus): void {
    const cur = this._status;
    if (cur.state === s.state && cur.message === s.message && cur.code === s.code) return;
    this._status = s;
    this.opts.onStatus?.(s);
  }
}
