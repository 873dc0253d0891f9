// Why: the WebSocket part the MSE and MJPEG players share — binary frames, pings, silence detection, close codes and reconnect with backoff.
import { backoffDelay, closeQuietly, keepAlive } from '../api/events';
import type { BackoffOptions, WebSocketLike } from '../api/events';
import { closeVerdict } from './protocol';
import type { CloseVerdict } from './protocol';

/** What the live players need of a browser WebSocket; tests inject a fake. */
export interface LiveSocketLike extends Omit<WebSocketLike, 'send'> {
  binaryType: string;
  send(data: string): void;
}

export type LiveSocketFactory = (url: string) => LiveSocketLike;

export type LiveState = 'connecting' | 'waiting' | 'playing' | 'reconnecting' | 'error' | 'stopped';

/** What a tile shows about its player. `error` is final; `reconnecting` retries by itself. */
export interface LiveStatus {
  state: LiveState;
  message: string | null;
  code: string | null;
}

export const status = (state: LiveState, message: string | null = null, code: string | null = null): LiveStatus => ({
  state,
  message,
  code,
});

export interface SocketDown extends CloseVerdict {
  closeCode: number;
  /** False when the socket never opened: the server refused the upgrade with an HTTP error. */
  opened: boolean;
  /** Milliseconds until the next attempt, or null when the socket gave up. */
  retryInMs: number | null;
}

export interface LiveSocketOptions {
  /** Built at each attempt, so a changed parameter (an MJPEG level) survives a reconnect. */
  url: () => string;
  createSocket?: LiveSocketFactory;
  backoff?: BackoffOptions;
  /** How often to ping; a socket silent for 2.5 intervals is dropped and reopened. */
  pingIntervalMs?: number;
  onOpen?: () => void;
  onText?: (text: string) => void;
  onBinary?: (data: ArrayBuffer) => void;
  onDown?: (down: SocketDown) => void;
}

const OPEN = 1;

function toArrayBuffer(data: unknown): ArrayBuffer | null {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) {
    const v = data as ArrayBufferView;
    return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
  }
  return null;
}

export class LiveSocket {
  private readonly opts: LiveSocketOptions;
  private ws: LiveSocketLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  private opened = false;
  private _attempt = 0;
  private stopped = true;

  constructor(opts: LiveSocketOptions) {
    this.opts = opts;
  }

  /** Failed attempts since media last arrived; drives the backoff. */
  get attempt(): number {
    return this._attempt;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === OPEN;
  }

  start(): void {
    this.stopped = false;
    this.clearTimers();
    this.detach();
    this._attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.detach();
  }

  /** Drop the connection and come back after the backoff delay (the player hit an error it cannot fix in place). */
  restart(reason: string, code = 'PLAYER_RESTART'): void {
    if (this.stopped) return;
    this.detach();
    this.clearTimers();
    this.scheduleRetry({ retry: true, code, message: reason }, 1000);
  }

  /** Send a JSON control message; false when the socket is not open. */
  send(msg: object): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as LiveSocketLike);
    let ws: LiveSocketLike;
    try {
      ws = create(this.opts.url());
      ws.binaryType = 'arraybuffer';
    } catch (e) {
      this.scheduleRetry({ retry: true, code: 'NETWORK_ERROR', message: e instanceof Error ? e.message : String(e) }, 0);
      return;
    }
    this.ws = ws;
    this.opened = false;
    ws.onopen = () => {
      this.opened = true;
      this.lastMessageAt = Date.now();
      this.startPing();
      this.opts.onOpen?.();
    };
    ws.onmessage = (ev) => {
      this.lastMessageAt = Date.now();
      if (typeof ev.data === 'string') {
        this.opts.onText?.(ev.data);
        return;
      }
      const buf = toArrayBuffer(ev.data);
      if (!buf) return;
      // Media is flowing: the connection is good, so the next failure starts the backoff afresh.
      this._attempt = 0;
      this.opts.onBinary?.(buf);
    };
    ws.onerror = () => {
      // A close event always follows.
    };
    ws.onclose = (ev) => {
      this.detach();
      this.clearTimers();
      let verdict = closeVerdict(ev.code);
      if (!this.opened && verdict.code === null) {
        // Refusals known before the upgrade (bad token, unknown camera, the stream limit) come
        // as HTTP errors, which a browser reports only as a failed connection.
        verdict = { retry: true, code: 'CONNECT_FAILED', message: 'Could not open the live stream; retrying.' };
      }
      this.scheduleRetry(verdict, ev.code);
    };
  }

  private scheduleRetry(verdict: CloseVerdict, closeCode: number): void {
    if (this.stopped) return;
    if (!verdict.retry) {
      this.stopped = true;
      this.opts.onDown?.({ ...verdict, closeCode, opened: this.opened, retryInMs: null });
      return;
    }
    const base = this.opts.backoff ?? {};
    // Past the stream limit, hammering the server helps no one: start slower.
    const delay =
      closeCode === 4429
        ? backoffDelay(this._attempt + 3, base)
        : backoffDelay(this._attempt, base);
    this._attempt += 1;
    this.opts.onDown?.({ ...verdict, closeCode, opened: this.opened, retryInMs: delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = keepAlive(
      this.opts.pingIntervalMs ?? 10_000,
      () => this.ws,
      () => this.lastMessageAt,
      () => {
        // Half-open or stuck: nothing at all, not even a pong. Start again.
        this.detach();
        this.clearTimers();
        this.scheduleRetry({ retry: true, code: 'STREAM_STALLED', message: 'No data from the server; reconnecting.' }, 0);
      },
    );
  }

  private detach(): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    closeQuietly(ws);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }
}
