// Why: HLS live view through hls.js — the token in a header, near-live sync without LL-HLS, and recovery from fatal errors.
import type { ErrorData, HlsConfig } from 'hls.js';
import type HlsType from 'hls.js';
import { backoffDelay } from '../api/events';
import type { BackoffOptions } from '../api/events';
import { status } from './liveSocket';
import type { LiveStatus } from './liveSocket';

type HlsClass = typeof HlsType;
type HlsInstance = InstanceType<HlsClass>;

/** hls.js is big: loaded only when a tile first plays HLS. */
export const loadHlsJs = async (): Promise<HlsClass> => (await import('hls.js')).default;

/** hls.js settings for Vigil's live playlist (~2 s fMP4 segments, 6 kept, plain HLS v7). */
/** The bearer token, or a getter read at each request (a signed-in user's token is renewed). */
export type TokenSource = string | (() => string);

export function tokenOf(t: TokenSource): string {
  return typeof t === 'function' ? t() : t;
}

export function hlsConfig(token: TokenSource): Partial<HlsConfig> {
  const patient = {
    // The first playlist request waits (up to ~10 s) for the first segment.
    maxTimeToFirstByteMs: 20_000,
    maxLoadTimeMs: 30_000,
    timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
    errorRetry: { maxNumRetry: 4, retryDelayMs: 1000, maxRetryDelayMs: 8000 },
  };
  return {
    lowLatencyMode: false,
    // Start two segments from the end and catch up when more than five behind.
    liveSyncDurationCount: 2,
    liveMaxLatencyDurationCount: 5,
    maxLiveSyncPlaybackRate: 1.2,
    backBufferLength: 30,
    manifestLoadPolicy: { default: patient },
    playlistLoadPolicy: { default: patient },
    xhrSetup: (xhr: XMLHttpRequest) => xhr.setRequestHeader('Authorization', `Bearer ${tokenOf(token)}`),
  };
}

export type HlsRecovery = 'none' | 'recoverMedia' | 'recreate';

/**
 * What to do about an hls.js error. Non-fatal ones hls.js handles itself. A fatal media error is
 * first given to recoverMediaError (twice at most); anything else fatal — the playlist gone, the
 * server restarted, 429 — means a new hls.js instance after a backoff delay.
 */
export function hlsRecovery(data: Pick<ErrorData, 'fatal' | 'type'>, mediaRecoveries: number): HlsRecovery {
  if (!data.fatal) return 'none';
  if (data.type === 'mediaError' && mediaRecoveries < 2) return 'recoverMedia';
  return 'recreate';
}

export interface HlsVideoLike {
  play(): Promise<void> | void;
  removeAttribute(name: string): void;
  load(): void;
  addEventListener(type: 'playing' | 'waiting', listener: () => void): void;
  removeEventListener(type: 'playing' | 'waiting', listener: () => void): void;
}

export interface HlsPlayerOptions {
  url: string;
  token: TokenSource;
  video: HlsVideoLike;
  onStatus?: (s: LiveStatus) => void;
  loadHls?: () => Promise<HlsClass>;
  backoff?: BackoffOptions;
}

export class HlsPlayer {
  private readonly opts: HlsPlayerOptions;
  private hls: HlsInstance | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private mediaRecoveries = 0;
  private stopped = true;
  private _status: LiveStatus = status('stopped');
  private readonly onPlaying = () => {
    this.attempt = 0;
    this.mediaRecoveries = 0;
    this.setStatus(status('playing'));
  };
  private readonly onWaiting = () => {
    if (this._status.state === 'playing') this.setStatus(status('waiting'));
  };

  constructor(opts: HlsPlayerOptions) {
    this.opts = opts;
  }

  get status(): LiveStatus {
    return this._status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.opts.video.addEventListener('playing', this.onPlaying);
    this.opts.video.addEventListener('waiting', this.onWaiting);
    this.setStatus(status('connecting'));
    void this.create();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.opts.video.removeEventListener('playing', this.onPlaying);
    this.opts.video.removeEventListener('waiting', this.onWaiting);
    this.destroyHls();
    this.setStatus(status('stopped'));
  }

  private async create(): Promise<void> {
    this.retryTimer = null;
    let Hls: HlsClass;
    try {
      Hls = await (this.opts.loadHls ?? loadHlsJs)();
    } catch (e) {
      if (!this.stopped) this.setStatus(status('error', `Cannot load hls.js: ${String(e)}`, 'HLS_UNAVAILABLE'));
      return;
    }
    if (this.stopped) return;
    if (!Hls.isSupported()) {
      this.setStatus(status('error', 'This browser has no MediaSource, which hls.js needs.', 'HLS_UNSUPPORTED'));
      return;
    }
    const hls = new Hls(hlsConfig(this.opts.token));
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (this.hls !== hls) return;
      this.setStatus(status('waiting'));
      Promise.resolve()
        .then(() => this.opts.video.play())
        .catch(() => {});
    });
    hls.on(Hls.Events.ERROR, (_ev, data) => {
      if (this.hls !== hls) return;
      const what = hlsRecovery(data, this.mediaRecoveries);
      if (what === 'none') return;
      if (what === 'recoverMedia') {
        this.mediaRecoveries += 1;
        this.setStatus(status('reconnecting', `Media error (${data.details}); recovering.`, 'MEDIA_ERROR'));
        hls.recoverMediaError();
        return;
      }
      this.destroyHls();
      const delay = backoffDelay(this.attempt, this.opts.backoff);
      this.attempt += 1;
      this.mediaRecoveries = 0;
      const code = (data.response as { code?: number } | undefined)?.code;
      this.setStatus(
        status('reconnecting', `HLS ${data.type}: ${data.details}${code ? ` (HTTP ${code})` : ''}; retrying.`, 'HLS_ERROR'),
      );
      this.retryTimer = setTimeout(() => void this.create(), delay);
    });
    hls.loadSource(this.opts.url);
    hls.attachMedia(this.opts.video as unknown as HTMLMediaElement);
  }

  private destroyHls(): void {
    const hls = this.hls;
    if (!hls) return;
    this.hls = null;
    try {
      hls.destroy();
    } catch {
      // Already torn down.
    }
  }

  private setStatus(s: LiveStatus): void {
    const cur = this._status;
    if (cur.state === s.state && cur.message === s.message && cur.code === s.code) return;
    this._status = s;
    this.opts.onStatus?.(s);
  }
}
