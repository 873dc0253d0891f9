// Why: plays recordings through hls.js on the VOD playlist and speaks wall time — open at an instant, seek, speed (stepping above the browser's limit), continue past the playlist's end.
import type { ErrorData, HlsConfig } from 'hls.js';
import type HlsType from 'hls.js';
import { ApiError } from '../../api/client';
import { loadHlsJs, tokenOf } from '../../live/hlsPlayer';
import type { TokenSource } from '../../live/hlsPlayer';
import { absolutizePlaylist, parseVodPlaylist, timeAtWall, wallAt, wallRange } from './playlist';
import type { PlaylistMap } from './playlist';
import { maxNativeRate, speedPlan } from './speed';
import { MINUTE } from './timeMath';
import { vodPath } from './timelineApi';
import type { MediaConnection } from './timelineApi';

type HlsClass = typeof HlsType;
type HlsInstance = InstanceType<HlsClass>;

export type VodState = 'idle' | 'loading' | 'paused' | 'playing' | 'buffering' | 'empty' | 'error';

export interface VodStatus {
  state: VodState;
  message?: string;
}

/** The part of a <video> the player uses, so tests can pass a fake. */
export interface VodVideo {
  currentTime: number;
  playbackRate: number;
  defaultPlaybackRate: number;
  paused: boolean;
  readonly readyState: number;
  play(): Promise<void> | void;
  pause(): void;
  removeAttribute(name: string): void;
  load(): void;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export interface VodPlayerOptions {
  conn: MediaConnection;
  video: VodVideo;
  onStatus?: (s: VodStatus) => void;
  /** Wall time under the playhead, on every timeupdate and seek. */
  onTime?: (wallMs: number) => void;
  /** GET a root-relative path as text with the token (ApiClient.blob); errors as ApiError. */
  fetchText: (path: string, signal: AbortSignal) => Promise<string>;
  loadHls?: () => Promise<HlsClass>;
  createObjectURL?: (b: Blob) => string;
  revokeObjectURL?: (u: string) => void;
  /** How much before and after the asked instant one playlist covers. */
  windowBeforeMs?: number;
  windowAfterMs?: number;
  now?: () => number;
}

/** hls.js settings for a VOD playlist handed over as a blob: URL; media requests carry the token. */
export function vodHlsConfig(token: TokenSource, startPosition: number): Partial<HlsConfig> {
  return {
    startPosition,
    lowLatencyMode: false,
    enableWorker: true,
    maxBufferLength: 30,
    backBufferLength: 60,
    xhrSetup: (xhr: XMLHttpRequest, url: string) => {
      if (/^https?:/i.test(url)) xhr.setRequestHeader('Authorization', `Bearer ${tokenOf(token)}`);
    },
  };
}

/** Reaching the end of a playlist this close to now means the camera is still recording it. */
const FOLLOW_WINDOW_MS = 120_000;
const FOLLOW_RETRY_MS = 2_000;

export class VodPlayer {
  private readonly o: VodPlayerOptions;
  private hls: HlsInstance | null = null;
  private blobUrl: string | null = null;
  private map: PlaylistMap | null = null;
  private cameraId: number | null = null;
  private abort: AbortController | null = null;
  private openSeq = 0;
  private wantPlay = true;
  private rate = 1;
  private maxNative: number | null = null;
  private stepTimer: ReturnType<typeof setInterval> | null = null;
  private _status: VodStatus = { state: 'idle' };
  private mediaRecoveries = 0;
  private netRetries = 0;
  /** Wall time to show while loading (before there is a map). */
  private pendingWall: number | null = null;
  /** Player time the element is being moved to after an open. */
  private expectT = 0;
  private destroyed = false;
  private followTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners: Array<[string, () => void]>;

  constructor(o: VodPlayerOptions) {
    this.o = o;
    this.listeners = [
      ['timeupdate', () => this.settled()],
      ['seeked', () => this.settled()],
      ['playing', () => {
        this.settled();
        this.setStatus({ state: 'playing' });
      }],
      ['pause', () => this.onPause()],
      ['waiting', () => this.onWaiting()],
      ['ended', () => void this.continuePastEnd()],
      ['ratechange', () => this.keepRate()],
    ];
    for (const [t, l] of this.listeners) o.video.addEventListener(t, l);
  }

  get status(): VodStatus {
    return this._status;
  }

  get playlistMap(): PlaylistMap | null {
    return this.map;
  }

  /** Wall time under the playhead (the instant asked for until the element has moved there). */
  get wallTime(): number | null {
    if (this.pendingWall !== null) return this.pendingWall;
    return this.map ? wallAt(this.map, this.o.video.currentTime) : null;
  }

  get speed(): number {
    return this.rate;
  }

  /** Load the camera's recordings around `wallMs` and show that instant (playing if `play`). */
  async open(cameraId: number, wallMs: number, play = this.wantPlay, follow = false): Promise<void> {
    if (this.destroyed) return;
    const seq = ++this.openSeq;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = null;
    this.cameraId = cameraId;
    this.wantPlay = play;
    this.pendingWall = wallMs;
    this.teardown();
    this.setStatus({ state: 'loading' });
    this.o.onTime?.(wallMs);
    const before = this.o.windowBeforeMs ?? MINUTE;
    const after = this.o.windowAfterMs ?? 30 * MINUTE;
    const abort = new AbortController();
    this.abort = abort;
    let text: string;
    try {
      text = await this.o.fetchText(vodPath(cameraId, wallMs - before, wallMs + after), abort.signal);
    } catch (e) {
      if (seq !== this.openSeq) return;
      if (e instanceof ApiError && e.status === 404 && e.code === 'NO_RECORDINGS') {
        const now = (this.o.now ?? Date.now)();
        if (follow && play && wallMs > now - FOLLOW_WINDOW_MS) {
          // Played up to what is being recorded now: wait for the next fragments.
          this.setStatus({ state: 'buffering', message: 'Waiting for the recording to catch up…' });
          this.followTimer = setTimeout(() => void this.open(cameraId, wallMs, true, true), FOLLOW_RETRY_MS);
          return;
        }
        this.setStatus({ state: 'empty', message: 'Nothing was recorded from this moment on.' });
      } else if (!abort.signal.aborted) {
        const msg = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
        this.setStatus({ state: 'error', message: msg });
      }
      return;
    }
    if (seq !== this.openSeq) return;
    const map = parseVodPlaylist(text);
    if (!map) {
      this.setStatus({ state: 'error', message: 'The server sent a playlist without times.' });
      return;
    }
    const range = wallRange(map);
    let pos = timeAtWall(map, wallMs);
    if (!pos) {
      if (wallMs < range.startMs) pos = { t: 0, inGap: true };
      else {
        this.setStatus({ state: 'empty', message: 'Nothing was recorded from this moment on.' });
        return;
      }
    }
    let Hls: HlsClass;
    try {
      Hls = await (this.o.loadHls ?? loadHlsJs)();
    } catch (e) {
      if (seq === this.openSeq) this.setStatus({ state: 'error', message: `Cannot load hls.js: ${String(e)}` });
      return;
    }
    if (seq !== this.openSeq || this.destroyed) return;
    if (!Hls.isSupported()) {
      this.setStatus({ state: 'error', message: 'This browser has no MediaSource, which hls.js needs.' });
      return;
    }
    this.map = map;
    const create = this.o.createObjectURL ?? ((b: Blob) => URL.createObjectURL(b));
    this.blobUrl = create(
      new Blob([absolutizePlaylist(text, this.o.conn.baseUrl)], { type: 'application/vnd.apple.mpegurl' }),
    );
    const conn = this.o.conn;
    const hls = new Hls(vodHlsConfig(() => conn.token, pos.t));
    this.hls = hls;
    this.expectT = pos.t;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      if (this.hls !== hls) return;
      this.applyRate();
      if (this.wantPlay) {
        Promise.resolve()
          .then(() => this.o.video.play())
          .catch(() => {});
      } else {
        this.setStatus({ state: 'paused' });
      }
    });
    hls.on(Hls.Events.ERROR, (_ev, data) => this.onHlsError(hls, data));
    hls.loadSource(this.blobUrl);
    hls.attachMedia(this.o.video as unknown as HTMLMediaElement);
  }

  /** Whether `wallMs` can be shown by a seek in the loaded playlist (no reload). */
  covers(wallMs: number): boolean {
    const map = this.map;
    if (!map || !this.hls || this._status.state === 'loading' || this._status.state === 'error') return false;
    return timeAtWall(map, wallMs) !== null && wallMs < wallRange(map).endMs - 2000;
  }

  get camera(): number | null {
    return this.cameraId;
  }

  /** Show wall instant `wallMs`: a seek inside the loaded playlist, else a new playlist. */
  seek(wallMs: number): void {
    const cam = this.cameraId;
    if (cam === null) return;
    const map = this.map;
    // Keep a margin at the end: a seek into the last seconds would end at once and reload anyway.
    if (map && this.covers(wallMs)) {
      const pos = timeAtWall(map, wallMs);
      if (pos) {
        this.pendingWall = null;
        this.o.video.currentTime = pos.t;
        this.emitTime();
        return;
      }
    }
    void this.open(cam, wallMs, this.wantPlay);
  }

  play(): void {
    this.wantPlay = true;
    if (this._status.state === 'empty' || this._status.state === 'error') {
      const w = this.wallTime;
      if (this.cameraId !== null && w !== null) void this.open(this.cameraId, w, true);
      return;
    }
    Promise.resolve()
      .then(() => this.o.video.play())
      .catch(() => {});
    this.syncStepping();
  }

  pause(): void {
    this.wantPlay = false;
    this.o.video.pause();
    this.syncStepping();
  }

  setSpeed(rate: number): void {
    this.rate = rate;
    this.applyRate();
  }

  destroy(): void {
    this.destroyed = true;
    this.openSeq++;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = null;
    this.teardown();
    for (const [t, l] of this.listeners) this.o.video.removeEventListener(t, l);
    this.setStatus({ state: 'idle' });
  }

  private applyRate(): void {
    const v = this.o.video;
    if (this.maxNative === null) this.maxNative = maxNativeRate(v);
    const plan = speedPlan(this.rate, this.maxNative);
    try {
      v.defaultPlaybackRate = plan.native;
      v.playbackRate = plan.native;
    } catch {
      // Refused despite the probe: stepping covers the rest.
    }
    this.syncStepping();
  }

  /** A new source resets playbackRate to the default; keep the chosen one. */
  private keepRate(): void {
    if (this.maxNative === null) return;
    const plan = speedPlan(this.rate, this.maxNative);
    if (Math.abs(this.o.video.playbackRate - plan.native) > 1e-6) {
      try {
        this.o.video.playbackRate = plan.native;
      } catch {
        // Ignore.
      }
    }
  }

  private syncStepping(): void {
    if (this.stepTimer) clearInterval(this.stepTimer);
    this.stepTimer = null;
    const plan = speedPlan(this.rate, this.maxNative ?? 16);
    if (plan.stepSeconds <= 0 || !this.wantPlay) return;
    this.stepTimer = setInterval(() => {
      const v = this.o.video;
      if (v.paused || !this.map) return;
      const end = wallRange(this.map);
      const t = v.currentTime + plan.stepSeconds;
      const last = this.map.pieces[this.map.pieces.length - 1];
      const endT = last ? last.start + last.duration : 0;
      if (t >= endT - 0.5) {
        void this.continuePastEnd(end.endMs);
        return;
      }
      v.currentTime = t;
    }, plan.tickMs);
  }

  private onPause(): void {
    if (this._status.state === 'loading' || this._status.state === 'empty' || this._status.state === 'error') return;
    this.setStatus({ state: 'paused' });
  }

  private onWaiting(): void {
    if (this._status.state === 'playing') this.setStatus({ state: 'buffering' });
  }

  /** The playlist ran out: load what was recorded after it (the camera may still be recording). */
  private async continuePastEnd(fromWall?: number): Promise<void> {
    if (!this.map || this.cameraId === null || !this.wantPlay) return;
    const end = fromWall ?? wallRange(this.map).endMs;
    await this.open(this.cameraId, end, true, true);
  }

  private onHlsError(hls: HlsInstance, data: ErrorData): void {
    if (this.hls !== hls || !data.fatal) return;
    if (data.type === 'mediaError' && this.mediaRecoveries < 2) {
      this.mediaRecoveries += 1;
      hls.recoverMediaError();
      return;
    }
    const wall = this.wallTime;
    const code = (data.response as { code?: number } | undefined)?.code;
    if (this.netRetries < 2 && this.cameraId !== null && wall !== null) {
      this.netRetries += 1;
      void this.open(this.cameraId, wall, this.wantPlay);
      return;
    }
    this.teardown();
    this.setStatus({ state: 'error', message: `Playback failed: ${data.details}${code ? ` (HTTP ${code})` : ''}` });
  }

  /** The element is at the position it was sent to: from now on its time is the truth. */
  private settled(): void {
    // hls.js moves the element to startPosition once media is buffered; until then keep the asked instant.
    if (this.map && this.hls && Math.abs(this.o.video.currentTime - this.expectT) <= 1) this.pendingWall = null;
    this.emitTime();
  }

  private emitTime(): void {
    const w = this.wallTime;
    if (w !== null && Number.isFinite(w)) this.o.onTime?.(w);
  }

  private teardown(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.stepTimer) clearInterval(this.stepTimer);
    this.stepTimer = null;
    const hls = this.hls;
    this.hls = null;
    if (hls) {
      try {
        hls.destroy();
      } catch {
        // Already torn down.
      }
    }
    if (this.blobUrl) {
      (this.o.revokeObjectURL ?? ((u: string) => URL.revokeObjectURL(u)))(this.blobUrl);
      this.blobUrl = null;
    }
    this.map = null;
  }

  private setStatus(s: VodStatus): void {
    if (s.state === 'playing') {
      this.mediaRecoveries = 0;
      this.netRetries = 0;
      this.syncStepping();
    }
    const cur = this._status;
    if (cur.state === s.state && cur.message === s.message) return;
    this._status = s;
    this.o.onStatus?.(s);
  }
}
