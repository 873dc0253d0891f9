// Why: proves live events patch the camera list correctly and ask for a refetch when events were missed.
import { describe, expect, it } from 'vitest';
import { camera, event } from '../../test/fixtures';
import { applyEvent, runAction, sourceSummary, upsertCamera } from './cameraList';

const a = camera({ id: 1, name: 'Alpha' });
const b = camera({ id: 2, name: 'Bravo' });

describe('applyEvent', () => {
  it('adds a created camera in name order and replaces an updated one', () => {
    const c = camera({ id: 3, name: 'Aardvark' });
    const created = applyEvent([a, b], event('camera:created', { camera_id: 3, camera: c }));
    expect(created && 'list' in created && created.list.map((x) => x.id)).toEqual([3, 1, 2]);
    const upd = { ...b, location: 'Roof', updated_at: '2025-02-01T00:00:00.000Z' };
    const updated = applyEvent([a, b], event('camera:updated', { camera_id: 2, camera: upd }));
    expect(updated && 'list' in updated && updated.list[1]?.location).toBe('Roof');
  });

  it('removes a deleted camera and patches stream status', () => {
    const del = applyEvent([a, b], event('camera:deleted', { camera_id: 1 }));
    expect(del && 'list' in del && del.list.map((x) => x.id)).toEqual([2]);
    const st = applyEvent([a, b], event('stream:status', { camera_id: 2, status: 'running', detail: null }));
    expect(st && 'list' in st && st.list[1]?.status).toBe('running');
    expect(applyEvent([a, b], event('stream:status', { camera_id: 2, status: 'stopped', detail: null }))).toBeNull();
    expect(applyEvent([a, b], event('camera:deleted'))).toBeNull();
  });

  it('asks for a refetch on hello, lag, and status for an unknown camera', () => {
    expect(applyEvent([a], event('hello', { subscriber: 'admin' }))).toEqual({ refetch: true });
    expect(applyEvent([a], event('events:lagged', { missed: 4 }))).toEqual({ refetch: true });
    const unknown = event('stream:status', { camera_id: 9, status: 'error', detail: 'timeout' });
    expect(applyEvent([a], unknown)).toEqual({ refetch: true });
    const segment = event('recording:segment', {
      camera_id: 1,
      recording_id: 5,
      start: '2025-06-01T10:00:00.000Z',
      end: '2025-06-01T10:01:00.000Z',
      bytes: 1024,
    });
    expect(applyEvent([a], segment)).toBeNull();
  });

  it('ignores an older snapshot of a camera', () => {
    const newer = { ...a, name: 'Alpha 2', updated_at: '2025-03-01T00:00:00.000Z' };
    const list = upsertCamera([a], newer);
    expect(upsertCamera(list, a)).toBe(list);
  });
});

describe('row helpers', () => {
  it('summarises each source kind and picks Start or Stop', () => {
    expect(sourceSummary(a)).toEqual({ kind: 'RTSP/TCP', detail: 'rtsp://192.0.2.10:554/stream1' });
    const push = camera({ source: { kind: 'rtmp_push', stream_key: 'k', publish_url: 'rtmp://h/live/k' } });
    expect(sourceSummary(push)).toEqual({ kind: 'RTMP push', detail: 'rtmp://h/live/k' });
    expect(runAction({ enabled: false })).toBe('start');
    expect(runAction({ enabled: true })).toBe('stop');
    expect(runAction(camera({ enabled: true, status: 'error' }))).toBe('stop');
  });
});
