// Why: proves events from the one socket patch the query cache — camera status and list, alert lists and counts — and that reconnects and layout saves refetch.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { camera } from '../test/fixtures';
import { applyToCache, keys } from './queries';
import type { Alert, AlertList, Camera, VigilEvent } from './types';

const ev = (type: string, more: Partial<VigilEvent> = {}): VigilEvent => ({ type, camera_id: null, at: 'now', ...more });
function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    type: 'camera_offline',
    severity: 'critical',
    camera_id: 1,
    event_id: null,
    message: 'offline',
    details: {},
    created_at: '2025-06-01T10:00:00.000Z',
    acknowledged: false,
    acknowledged_at: null,
    acknowledged_by: null,
    ...over,
  };
}
const invalid = (qc: QueryClient, key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated ?? false;

describe('applyToCache', () => {
  it('patches a camera’s status from stream:status', () => {
    const qc = new QueryClient();
    qc.setQueryData<Camera[]>(keys.cameras, [camera({ id: 1, status: 'running' })]);
    applyToCache(qc, ev('stream:status', { camera_id: 1, status: 'reconnecting' }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.[0]?.status).toBe('reconnecting');
  });

  it('adds a created camera and drops a deleted one', () => {
    const qc = new QueryClient();
    qc.setQueryData<Camera[]>(keys.cameras, [camera({ id: 1, name: 'B' })]);
    applyToCache(qc, ev('camera:created', { camera_id: 2, camera: camera({ id: 2, name: 'A' }) }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.map((c) => c.id)).toEqual([2, 1]);
    applyToCache(qc, ev('camera:deleted', { camera_id: 1 }));
    expect(qc.getQueryData<Camera[]>(keys.cameras)?.map((c) => c.id)).toEqual([2]);
  });

  it('applies alert events to every cached alert list by its own filter', () => {
    const qc = new QueryClient();
    qc.setQueryData<AlertList>(keys.alertList({ limit: 100 }), { alerts: [], unacknowledged: 0 });
    qc.setQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }), { alerts: [], unacknowledged: 0 });
    applyToCache(qc, ev('alert', { camera_id: 1, alert: alert() }));
    expect(qc.getQueryData<AlertList>(keys.alertList({ limit: 100 }))).toEqual({ alerts: [alert()], unacknowledged: 1 });
    expect(qc.getQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }))).toEqual({ alerts: [], unacknowledged: 1 });
    applyToCache(qc, ev('alert:acknowledged', { camera_id: 1, alert: alert({ acknowledged: true }) }));
    expect(qc.getQueryData<AlertList>(keys.alertList({ limit: 100 }))?.unacknowledged).toBe(0);
    expect(qc.getQueryData<AlertList>(keys.alertList({ severity: 'warning', limit: 100 }))?.unacknowledged).toBe(0);
  });

  it('marks layouts stale on layout:saved and everything stale on a reconnect', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.layouts, []);
    qc.setQueryData<Camera[]>(keys.cameras, []);
    applyToCache(qc, ev('layout:saved', { layout_id: 1 }));
    expect(invalid(qc, keys.layouts)).toBe(true);
    expect(invalid(qc, keys.cameras)).toBe(false);
    applyToCache(qc, ev('hello'));
    expect(invalid(qc, keys.cameras)).toBe(true);
  });
});
