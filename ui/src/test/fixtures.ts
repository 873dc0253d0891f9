// Why: sample cameras, events and API responses shared by the unit tests.
import type { Alert, Camera, EventOf, VigilEventType } from '../api/types';

export function camera(over: Partial<Camera> = {}): Camera {
  return {
    id: 1,
    name: 'Front door',
    manufacturer: 'Axis',
    model: 'P3245',
    serial_number: 'SN-1',
    location: 'HQ',
    place: 'Lobby',
    source: { kind: 'rtsp', url: 'rtsp://192.0.2.10:554/stream1', transport: 'tcp' },
    username: 'viewer',
    has_password: true,
    enabled: true,
    recording_enabled: true,
    detection_enabled: false,
    detect_fps: 5,
    status: 'stopped',
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    recording_error: null,
    removed_at: null,
    ...over,
  };
}

/** An event's own fields; `camera_id` (default `null`) and `at` may be given too. */
export type EventFields<T extends VigilEventType> = Omit<EventOf<T>, 'type' | 'camera_id' | 'at'> & {
  camera_id?: number | null;
  at?: string;
};

/** A socket message of kind `type`, typed by the union: `event('layout:saved', { layout_id: 1, owner: 'admin' })`. */
/** An alert as the API sends it: a camera-offline condition unless told otherwise. */
export function alertFixture(over: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    type: 'camera_offline',
    severity: 'critical',
    camera_id: 1,
    event_id: null,
    message: 'offline',
    details: {},
    snapshot_url: null,
    created_at: '2025-06-01T10:00:00.000Z',
    started_at: '2025-06-01T10:00:00.000Z',
    last_at: null,
    ended_at: null,
    resolved_at: null,
    count: 1,
    labels: {},
    acknowledged: false,
    acknowledged_at: null,
    acknowledged_by: null,
    ...over,
  };
}

export function event<T extends VigilEventType>(
  type: T,
  ...[fields]: {} extends EventFields<T> ? [EventFields<T>?] : [EventFields<T>]
): EventOf<T> {
  // The generic spread cannot be checked against one member of the union; the signature is.
  return { camera_id: null, at: '2025-06-01T10:00:00.000Z', ...fields, type } as unknown as EventOf<T>;
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): Response {
  return jsonResponse(status, {
    success: false,
    error: {
      code,
      message,
      details: fields ? { fields } : null,
      timestamp: '2025-01-01T00:00:00.000Z',
      requestId: 'req-1',
    },
  });
}
