// Why: proves the events client authenticates with its first message, backs off with a cap and delivers parsed events.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventsClient, backoffDelay, eventsUrl } from './events';
import type { WebSocketLike } from './events';
import type { VigilEvent } from './types';

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // Test-side controls: what the server would do.
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: object | string) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1]!;

function client(extra: Partial<ConstructorParameters<typeof EventsClient>[0]> = {}) {
  return new EventsClient({
    url: 'ws://127.0.0.1:7878/api/v1/events',
    token: () => 'secret',
    createSocket: (url) => new FakeSocket(url),
    backoff: { baseMs: 100, maxMs: 1000, jitter: 0 },
    ...extra,
  });
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const opts = { baseMs: 500, maxMs: 30_000, jitter: 0 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, opts))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(6, opts)).toBe(30_000);
    expect(backoffDelay(50, opts)).toBe(30_000);
  });

  it('jitter only shortens the delay', () => {
    const d = backoffDelay(3, { baseMs: 500, maxMs: 30_000, jitter: 0.2, random: () => 1 });
    expect(d).toBe(3200);
  });
});

describe('eventsUrl', () => {
  it('maps http to ws and https to wss', () => {
    expect(eventsUrl('http://127.0.0.1:7878')).toBe('ws://127.0.0.1:7878/api/v1/events');
    expect(eventsUrl('https://nvr.example:8443/')).toBe('wss://nvr.example:8443/api/v1/events');
  });
});

describe('EventsClient', () => {
  it('sends the auth message first, without the token in the URL', () => {
    const c = client();
    c.start();
    const ws = latest();
    expect(ws.url).toBe('ws://127.0.0.1:7878/api/v1/events');
    expect(ws.url).not.toContain('secret');
    ws.open();
    expect(ws.sent).toHaveLength(1);
    expect(JSON.parse(ws.sent[0]!)).toEqual({ type: 'auth', token: 'secret' });
    expect(c.state).toBe('connecting');
    ws.receive({ type: 'hello', camera_id: null, at: 'now' });
    expect(c.state).toBe('connected');
  });

  it('delivers parsed events to subscribers, skipping pongs and junk', () => {
    const c = client();
    const got: VigilEvent[] = [];
    const unsubscribe = c.subscribe((e) => got.push(e));
    c.start();
    const ws = latest();
    ws.open();
    ws.receive({ type: 'hello', camera_id: null, at: 't0' });
    ws.receive({ type: 'stream:status', camera_id: 4, at: 't1', status: 'running' });
    ws.receive({ type: 'pong', camera_id: null, at: 't2' });
    ws.receive('not json');
    ws.receive({ no_type: true });
    expect(got.map((e) => e.type)).toEqual(['hello', 'stream:status']);
    expect(got[1]).toMatchObject({ camera_id: 4, status: 'running' });
    unsubscribe();
    ws.receive({ type: 'camera:deleted', camera_id: 4, at: 't3' });
    expect(got).toHaveLength(2);
  });

  it('reconnects with growing, capped delays and resets after hello', () => {
    const c = client();
    const states: string[] = [];
    c.onState((s) => states.push(s));
    c.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = FakeSocket.all.length;
      latest().drop();
      // Find how long until the next socket is created.
      let waited = 0;
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(c.attempt).toBe(6);
    latest().open();
    latest().receive({ type: 'hello', camera_id: null, at: 't' });
    expect(c.attempt).toBe(0);
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('stops retrying and reports unauthorized on close code 4401', () => {
    const onUnauthorized = vi.fn();
    const c = client({ onUnauthorized });
    c.start();
    latest().open();
    latest().drop(4401);
    expect(c.state).toBe('unauthorized');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('pings a live connection and drops one that stays silent', () => {
    const c = client({ pingIntervalMs: 1000 });
    c.start();
    const ws = latest();
    ws.open();
    ws.receive({ type: 'hello', camera_id: null, at: 't' });
    vi.advanceTimersByTime(1000);
    expect(ws.sent.map((s) => JSON.parse(s).type)).toEqual(['auth', 'ping']);
    vi.advanceTimersByTime(2000); // now 3 s without a message: more than 2.5 intervals
    expect(ws.closed).toBe(true);
    expect(c.state).toBe('connecting');
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stop() closes the socket and cancels a pending retry', () => {
    const c = client();
    c.start();
    latest().drop();
    c.stop();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(c.state).toBe('stopped');
  });
});
