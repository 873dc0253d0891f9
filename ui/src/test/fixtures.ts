// Why: sample cameras and API responses shared by the unit tests.
import type { Camera } from '../api/types';

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
    ...over,
  };
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
