// Why: proves the live socket pings, drops a silent connection, backs off (slower after 4429) and resets its backoff once media flows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/liveFakes';
import { LiveSocket } from './liveSocket';
import type { SocketDown } from './liveSocket';

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function setup() {
  const downs: SocketDown[] = [];
  const binaries: number[] = [];
  const s = new LiveSocket({
    url: () => 'ws://h/x',
    createSocket: (u) => new FakeSocket(u),
    backoff: { baseMs: 100, maxMs: 10_000, jitter: 0 },
    pingIntervalMs: 1000,
    onDown: (d) => downs.push(d),
    onBinary: (b) => binaries.push(b.byteLength),
  });
  s.start();
  return { s, downs, binaries };
}

describe('LiveSocket', () => {
  it('pings an open socket and reopens one that stays silent', () => {
    const { downs } = setup();
    const ws = FakeSocket.latest();
    ws.open();
    vi.advanceTimersByTime(1000);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    ws.text({ type: 'pong' });
    vi.advanceTimersByTime(2000);
    expect(ws.closed).toBe(false);
    vi.advanceTimersByTime(1000); // 3 s since the pong: more than 2.5 intervals
    expect(ws.closed).toBe(true);
    expect(downs[0]).toMatchObject({ code: 'STREAM_STALLED', retryInMs: 100 });
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('doubles the delay on each failure, starts higher after 4429, and resets once media arrives', () => {
    const { downs, binaries } = setup();
    FakeSocket.latest().drop(1006);
    vi.advanceTimersByTime(100);
    FakeSocket.latest().drop(1006);
    vi.advanceTimersByTime(200);
    FakeSocket.latest().drop(4429);
    expect(downs.map((d) => d.retryInMs)).toEqual([100, 200, 3200]);
    expect(downs[2]).toMatchObject({ code: 'STREAM_LIMIT_EXCEEDED' });
    vi.advanceTimersByTime(3200);
    const ws = FakeSocket.latest();
    ws.open();
    ws.binary(1, 2, 3);
    expect(binaries).toEqual([3]);
    ws.drop(1011);
    expect(downs[3]).toMatchObject({ code: 'STREAM_ENDED', retryInMs: 100 });
  });

  it('calls a socket that closes before opening a refused connection (HTTP error on the upgrade)', () => {
    const { downs } = setup();
    FakeSocket.latest().drop(1006);
    expect(downs[0]).toMatchObject({ code: 'CONNECT_FAILED', opened: false, retryInMs: 100 });
    vi.advanceTimersByTime(100);
    const ws = FakeSocket.latest();
    ws.open();
    ws.drop(1006);
    expect(downs[1]).toMatchObject({ code: null, message: null, opened: true });
  });
});
