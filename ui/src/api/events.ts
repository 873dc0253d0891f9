// Why: the one shared /api/v1/events socket — first-message auth, parsed events to subscribers, reconnect with backoff.
import { API_PREFIX } from './client';
import type { VigilEvent } from './types';

/** `connecting` covers both the first attempt and waiting to retry; `unauthorized` stops retrying. */
export type EventsState = 'idle' | 'connecting' | 'connected' | 'unauthorized' | 'stopped';

/** The part of the browser WebSocket this client uses, so tests can inject a fake. */
export interface WebSocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;
export type EventListener = (ev: VigilEvent) => void;
export type StateListener = (state: EventsState) => void;

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Fraction of the delay that may be shaved off at random, so clients don't retry in lockstep. */
  jitter?: number;
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based): doubling from baseMs, capped at maxMs. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 30_000, jitter = 0.2, random = Math.random } = opts;
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (1 - jitter * random()));
}

/** Ping every `everyMs`; when nothing at all (not even a pong) came for 2.5 intervals, call
 * `onSilent` instead — a half-open connection. Shared by the events client and live players. */
export function keepAlive(
  everyMs: number,
  socket: () => { readyState: number; send(data: string): void } | null,
  lastMessageAt: () => number,
  onSilent: () => void,
): ReturnType<typeof setInterval> {
  return setInterval(() => {
    const ws = socket();
    if (!ws) return;
    if (Date.now() - lastMessageAt() > everyMs * 2.5) {
      onSilent();
      return;
    }
    if (ws.readyState === OPEN) ws.send(JSON.stringify({ type: 'ping' }));
  }, everyMs);
}

/** Close a socket without hearing from it again (its handlers are removed first). */
export function closeQuietly(ws: Pick<WebSocketLike, 'onopen' | 'onmessage' | 'onerror' | 'onclose' | 'close'>): void {
  ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
  try {
    ws.close(1000, 'client closing');
  } catch {
    // Already closed.
  }
}

/** ws(s)://host/api/v1/events for an http(s) API base. */
export function eventsUrl(baseUrl: string): string {
  const u = new URL(`${API_PREFIX}/events`, baseUrl.replace(/\/+$/, '') + '/');
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

export interface EventsClientOptions {
  url: string;
  token: () => string | null;
  createSocket?: WebSocketFactory;
  backoff?: BackoffOptions;
  /** How often to ping a quiet connection; a socket silent for 2.5 intervals is dropped. */
  pingIntervalMs?: number;
  /** Called when the server closes with 4401 (missing or invalid token). */
  onUnauthorized?: () => void;
}

const OPEN = 1;

/** The server's messages are `WireEvent`s (the union in the OpenAPI document); this only checks the
 * envelope — an object with a string `type` — and leaves each kind's fields to the type. */
function isEvent(v: unknown): v is VigilEvent {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export class EventsClient {
  private readonly opts: EventsClientOptions;
  private readonly listeners = new Set<EventListener>();
  private readonly stateListeners = new Set<StateListener>();
  private socket: WebSocketLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  private _attempt = 0;
  private _state: EventsState = 'idle';

  constructor(opts: EventsClientOptions) {
    this.opts = opts;
  }

  get state(): EventsState {
    return this._state;
  }

  /** Failed connections since the last successful hello; drives the backoff. */
  get attempt(): number {
    return this._attempt;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connect (or reconnect at once, e.g. after a new sign-in). */
  start(): void {
    this.clearTimers();
    this.detach();
    this._attempt = 0;
    this.connect();
  }

  stop(): void {
    this.clearTimers();
    this.detach();
    this.setState('stopped');
  }

  private connect(): void {
    this.retryTimer = null;
    const token = this.opts.token();
    if (!token) {
      this.setState('unauthorized');
      return;
    }
    this.setState('connecting');
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
    let ws: WebSocketLike;
    try {
      ws = create(this.opts.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      // Browsers cannot set headers on a WebSocket: the token goes in the first message.
      ws.send(JSON.stringify({ type: 'auth', token }));
      this.lastMessageAt = Date.now();
    };
    ws.onmessage = (msg) => this.handleMessage(msg.data);
    ws.onerror = () => {
      // A close event always follows; reconnecting happens there.
    };
    ws.onclose = (ev) => this.handleClose(ev.code);
  }

  private handleMessage(data: unknown): void {
    this.lastMessageAt = Date.now();
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (!isEvent(parsed)) return;
    const ev = parsed;
    if (ev.type === 'pong') return;
    if (ev.type === 'hello') {
      this._attempt = 0;
      this.setState('connected');
      this.startPing();
    }
    for (const l of [...this.listeners]) {
      try {
        l(ev);
      } catch (e) {
        console.error('events listener failed', e);
      }
    }
  }

  private handleClose(code: number): void {
    this.detach();
    this.clearTimers();
    if (code === 4401 || code === 4403) {
      this.setState('unauthorized');
      if (code === 4401) this.opts.onUnauthorized?.();
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this._attempt, this.opts.backoff);
    this._attempt += 1;
    this.setState('connecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = keepAlive(
      this.opts.pingIntervalMs ?? 25_000,
      () => this.socket,
      () => this.lastMessageAt,
      () => {
        // Half-open connection: no pong for too long. Drop it and retry.
        this.detach();
        this.clearTimers();
        this.scheduleRetry();
      },
    );
  }

  private detach(): void {
    const ws = this.socket;
    if (!ws) return;
    this.socket = null;
    closeQuietly(ws);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }

  private setState(s: EventsState): void {
    if (s === this._state) return;
    this._state = s;
    for (const l of [...this.stateListeners]) l(s);
  }
}
