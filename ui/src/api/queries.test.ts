// Why: proves events from the one socket patch the query cache — camera status and list, alert lists and counts — that reconnects and layout changes refetch, and that the rest leave it alone.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { alertFixture, camera, event } from '../test/fixtures';
import { ALERT_SETTLE_MS, applyToCache, keys } from './queries';
import type { Alert, AlertList, Camera, VigilEvent } from './types';

function alert(over: Partial<Alert> = {}): Alert {
  return alertFixture(over);
}
const invalid = (qc: QueryClient, key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated ?? false;

describe('applyToCache', () => {
  it('patches a camera’s status from stream:status', () => {
    const qc = new QueryClient();
    qc.setQueryData<Camera[]>(keys.cameras, [camera({ id: 1, status: 'running' })]);
    applyToCache(qc, event('stream:status', { camera_id: 1, status: 'reconnecting', detail: null }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.[0]?.status).toBe('reconnecting');
  });

  it('adds a created camera and drops a deleted one', () => {
    const qc = new QueryClient();
    qc.setQueryData<Camera[]>(keys.cameras, [camera({ id: 1, name: 'B' })]);
    applyToCache(qc, event('camera:created', { camera_id: 2, camera: camera({ id: 2, name: 'A' }) }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.map((c) => c.id)).toEqual([2, 1]);
    applyToCache(qc, event('camera:deleted', { camera_id: 1 }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.map((c) => c.id)).toEqual([2]);
  });

  it('applies alert events to every cached alert list by its own filter', () => {
    const qc = new QueryClient();
    qc.setQueryData<AlertList>(keys.alertList({ limit: 100 }), { alerts: [], unacknowledged: 0 });
    qc.setQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }), { alerts: [], unacknowledged: 0 });
    applyToCache(qc, event('alert', { camera_id: 1, alert: alert(), camera_name: 'Front door' }));
    expect(qc.getQueryData<AlertList>(keys.alertList({ limit: 100 }))).toEqual({ alerts: [alert()], unacknowledged: 1 });
    expect(qc.getQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }))).toEqual({ alerts: [], unacknowledged: 1 });
    applyToCache(qc, event('alert:acknowledged', { camera_id: 1, alert: alert({ acknowledged: true }) }));
    expect(qc.getQueryData<AlertList>(keys.alertList({ limit: 100 }))?.unacknowledged).toBe(0);
    expect(qc.getQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }))?.unacknowledged).toBe(0);
  });

  it('asks the alert lists again once a burst of acknowledgements is over (the count becomes the server\'s)', () => {
    vi.useFakeTimers();
    try {
      const qc = new QueryClient();
      qc.setQueryData<AlertList>(keys.alertList({ acknowledged: false, limit: 100 }), { alerts: [], unacknowledged: 3 });
      for (const id of [1, 2, 3]) {
        applyToCache(qc, event('alert:acknowledged', { camera_id: 1, alert: alert({ id, acknowledged: true }) }));
        vi.advanceTimersByTime(ALERT_SETTLE_MS / 2);
        expect(invalid(qc, keys.alertList({ acknowledged: false, limit: 100 }))).toBe(false);
      }
      vi.advanceTimersByTime(ALERT_SETTLE_MS);
      expect(invalid(qc, keys.alertList({ acknowledged: false, limit: 100 }))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks layouts stale on layout:saved and everything stale on a reconnect', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.layouts, []);
    qc.setQueryData<Camera[]>(keys.cameras, []);
    applyToCache(qc, event('layout:saved', { layout_id: 1, owner: 'admin' }));
    expect(invalid(qc, keys.layouts)).toBe(true);
    expect(invalid(qc, keys.cameras)).toBe(false);
    applyToCache(qc, event('hello', { subscriber: 'admin' }));
    expect(invalid(qc, keys.cameras)).toBe(true);
  });

  it('has a case for every kind of event: each representative does what its case says', () => {
    const heartbeat = event('stream:heartbeat', {
      camera_id: 1,
      status: 'running',
      codec: 'h264',
      resolution: '1920x1080',
      fps: 25,
      bitrate_kbps: 2048,
      dropped_frames: 0,
      recording_segments: 3,
      viewers: { mse: 1, hls: 0, mjpeg: 0 },
    });
    /** What each event should leave invalidated: `all`, some keys, or nothing. */
    const cases: [VigilEvent, 'all' | (readonly unknown[])[]][] = [
      [event('hello', { subscriber: 'admin' }), 'all'],
      [event('events:lagged', { missed: 12 }), 'all'],
      [event('camera:created', { camera_id: 9, camera: camera({ id: 9 }) }), []],
      [event('camera:deleted', { camera_id: 1 }), [keys.layouts, keys.alertList({ limit: 100 })]],
      [event('layout:saved', { layout_id: 1, owner: 'admin' }), [keys.layouts]],
      [event('layout:deleted', { layout_id: 1, owner: 'admin' }), [keys.layouts]],
      [event('alert', { camera_id: 1, alert: alert({ id: 8 }), camera_name: 'Front door' }), []],
      [heartbeat, []],
      [event('pong'), []],
      [event('recording:segment', { camera_id: 1, recording_id: 2, start: 'a', end: 'b', bytes: 10 }), []],
      [event('export:done', { camera_id: 1, export_id: 3, bytes: null }), []],
      [event('bookmark:deleted', { camera_id: 1, bookmark_id: 4 }), []],
      [event('notification:clicked', { alert_id: 8 }), []],
    ];
    const watched = [keys.cameras, keys.layouts, keys.alertList({ limit: 100 })] as const;
    for (const [ev, expected] of cases) {
      const qc = new QueryClient();
      const before = [camera({ id: 1 })];
      qc.setQueryData<Camera[]>(keys.cameras, before);
      qc.setQueryData(keys.layouts, []);
      qc.setQueryData<AlertList>(keys.alertList({ limit: 100 }), { alerts: [], unacknowledged: 0 });
      applyToCache(qc, ev);
      const stale = watched.filter((k) => invalid(qc, k));
      expect(stale, ev.type).toEqual(expected === 'all' ? watched : expected);
      // Patched in place rather than refetched:
      if (ev.type === 'camera:created') {
        expect(qc.getQueryData<Camera[]>(keys.cameras)?.map((c) => c.id)).toEqual([1, 9]);
      } else if (ev.type === 'alert') {
        expect(qc.getQueryData<AlertList>(keys.alertList({ limit: 100 }))?.unacknowledged).toBe(1);
      } else if (ev.type !== 'camera:deleted') {
        expect(qc.getQueryData<Camera[]>(keys.cameras), ev.type).toBe(before);
      }
    }
  });

  it('ignores an event type it does not know (a newer server) without throwing', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.layouts, []);
    const future = JSON.parse('{"type":"camera:teleported","camera_id":1,"at":"now"}') as VigilEvent;
    expect(() => applyToCache(qc, future)).not.toThrow();
    expect(invalid(qc, keys.layouts)).toBe(false);
  });
});
