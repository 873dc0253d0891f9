// Why: how the camera list changes — API results and live events applied as pure functions, testable without React.
import type { Camera, VigilEvent } from '../../api/types';

/** Keep the list in a stable order: by name, then id. */
export function sortCameras(list: Camera[]): Camera[] {
  return [...list].sort(
    (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id,
  );
}

export function upsertCamera(list: Camera[], cam: Camera): Camera[] {
  const i = list.findIndex((c) => c.id === cam.id);
  if (i >= 0) {
    const existing = list[i];
    // An older snapshot (e.g. a slow PATCH reply after a newer event) must not win.
    if (existing && existing.updated_at > cam.updated_at) return list;
    const next = [...list];
    next[i] = cam;
    return existing && existing.name === cam.name ? next : sortCameras(next);
  }
  return sortCameras([...list, cam]);
}

export function removeCamera(list: Camera[], id: number): Camera[] {
  return list.some((c) => c.id === id) ? list.filter((c) => c.id !== id) : list;
}

export type EventEffect = { list: Camera[] } | { refetch: true } | null;

/**
 * What an event does to the list: a new list, a request to refetch (after a reconnect or
 * missed events), or nothing.
 */
export function applyEvent(list: Camera[], ev: VigilEvent): EventEffect {
  switch (ev.type) {
    case 'hello':
    case 'events:lagged':
      return { refetch: true };
    case 'camera:created':
    case 'camera:updated':
      return { list: upsertCamera(list, ev.camera) };
    case 'camera:deleted':
      return ev.camera_id == null ? null : { list: removeCamera(list, ev.camera_id) };
    case 'stream:status': {
      const { camera_id: id, status } = ev;
      if (id == null) return null;
      const cam = list.find((c) => c.id === id);
      if (!cam) return { refetch: true };
      if (cam.status === status) return null;
      return { list: list.map((c) => (c.id === id ? { ...c, status } : c)) };
    }
    default:
      return null;
  }
}

/** One line that says where the video comes from, never with secrets (RTSP URLs are stored without them). */
export function sourceSummary(cam: Camera): { kind: string; detail: string } {
  switch (cam.source.kind) {
    case 'rtsp':
      return { kind: `RTSP/${cam.source.transport.toUpperCase()}`, detail: cam.source.url };
    case 'rtmp_push':
      return { kind: 'RTMP push', detail: cam.source.publish_url };
    case 'file':
      return { kind: 'File', detail: cam.source.path };
    case 'onvif':
      return {
        kind: 'ONVIF',
        detail: `${cam.source.address} · ${cam.source.main_profile}${cam.source.sub_profile ? ` + ${cam.source.sub_profile}` : ''}`,
      };
  }
}

/**
 * Which action the Start/Stop button offers. Start/stop set the camera's desired state (`enabled`);
 * the stream supervisor keeps retrying an enabled camera even while its status is `error`, so an
 * enabled camera always offers Stop.
 */
export function runAction(cam: Pick<Camera, 'enabled'>): 'start' | 'stop' {
  return cam.enabled ? 'stop' : 'start';
}
