// Why: sample System-page readings for the unit and component tests — a /metrics text as the server's registry writes it, stream and detection statuses, and a fake ApiClient answering them.
import { vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient, HttpMethod } from '../../api/client';
import type { CameraDetectionStats, DetectionStatus, StreamStatus } from './types';

/** What the server's prometheus-client registry writes (abridged). */
export const METRICS_TEXT = `# HELP vigil_uptime_seconds Seconds since the API started.
# TYPE vigil_uptime_seconds gauge
vigil_uptime_seconds 3725.5
# HELP vigil_http_requests HTTP requests by route template and status.
# TYPE vigil_http_requests counter
vigil_http_requests_total{method="GET",route="/api/v1/cameras/{id}",status="404"} 2
# HELP vigil_events_ws_clients Connected /events WebSocket clients.
# TYPE vigil_events_ws_clients gauge
vigil_events_ws_clients 2
# TYPE vigil_events_ws_lagged counter
vigil_events_ws_lagged_total 0
# HELP vigil_build_info Build information.
# TYPE vigil_build_info gauge
vigil_build_info{version="0.3.0"} 1
# TYPE vigil_cameras gauge
vigil_cameras{status="running"} 2
vigil_cameras{status="reconnecting"} 1
vigil_cameras{status="stopped"} 0
# TYPE vigil_streams_running gauge
vigil_streams_running 2
# TYPE vigil_stream_packets counter
vigil_stream_packets_total{camera="1"} 9000
# TYPE vigil_recorder_over_ceiling_packets counter
vigil_recorder_over_ceiling_packets_total{camera="1"} 0
vigil_recorder_over_ceiling_packets_total{camera="2"} 17
# HELP vigil_recorder_write_latency_seconds Packet arrival to its write into the segment file.
# TYPE vigil_recorder_write_latency_seconds histogram
vigil_recorder_write_latency_seconds_sum{camera="1"} 1.5
vigil_recorder_write_latency_seconds_count{camera="1"} 100
vigil_recorder_write_latency_seconds_bucket{camera="1",le="0.005"} 50
vigil_recorder_write_latency_seconds_bucket{camera="1",le="0.001"} 10
vigil_recorder_write_latency_seconds_bucket{camera="1",le="0.05"} 99
vigil_recorder_write_latency_seconds_bucket{camera="1",le="+Inf"} 100
# TYPE vigil_live_viewers gauge
vigil_live_viewers{camera="1",kind="mse"} 2
vigil_live_viewers{camera="1",kind="hls"} 0
vigil_live_viewers{camera="1",kind="mjpeg"} 1
# TYPE vigil_db_writer_ops counter
vigil_db_writer_ops_total{outcome="queued"} 120
vigil_db_writer_ops_total{outcome="written"} 118
vigil_db_writer_ops_total{outcome="dropped"} 0
# TYPE vigil_db_writer_batches counter
vigil_db_writer_batches_total 40
# TYPE vigil_db_writer_failed_batches counter
vigil_db_writer_failed_batches_total 1
# TYPE vigil_db_writer_pending_retry gauge
vigil_db_writer_pending_retry 0
# TYPE vigil_db_writer_max_batch_microseconds gauge
vigil_db_writer_max_batch_microseconds 4200
# EOF
`;

export function streamStatus(over: Partial<StreamStatus> = {}): StreamStatus {
  return {
    camera_id: 1,
    status: 'running',
    since: '2025-06-01T10:00:00.000Z',
    last_error: null,
    codec: 'h264',
    width: 1920,
    height: 1080,
    packets: 9000,
    bytes: 45_000_000,
    reconnects: 0,
    fps: 25,
    bitrate_kbps: 4200,
    packets_per_second: 25,
    last_packet_at: '2025-06-01T10:06:00.000Z',
    dropped: { recorder: 0, 'live-fmp4': 0, detect: 0 },
    recording: { enabled: true, segments: 6, bytes: 44_000_000, dropped_packets: 0, errors: 0 },
    ...over,
  };
}

export function detectorStats(over: Partial<CameraDetectionStats> = {}): CameraDetectionStats {
  return {
    camera_id: 1,
    running: true,
    source: 'main',
    frames_decoded: 1000,
    frames_sampled: 200,
    frames_with_motion: 150,
    frames_still: 50,
    frames_dropped_busy: 0,
    inferences: 150,
    objects: 30,
    detections: 10,
    events: 2,
    decode_errors: 0,
    last_latency_ms: 48,
    ...over,
  };
}

export function detectionStatus(over: Partial<DetectionStatus> = {}): DetectionStatus {
  return {
    state: 'ready',
    code: null,
    message: null,
    model: 'yolov8n',
    labels: ['person', 'car'],
    library: 'onnxruntime 1.31.1',
    workers: 1,
    threads_per_worker: 2,
    inferences: 150,
    inference_ms: 21.5,
    cameras: [detectorStats()],
    ...over,
  };
}

export type Handler = (path: string) => unknown;

export const HEALTH = { status: 'ok', version: '0.3.0', detection: 'ready', tls_fingerprint: null };

/**
 * `request` answered from "METHOD /path" handlers (JSON envelopes); `blob('/metrics')` from `metrics` and
 * `blob('/health')` from a "GET /health" handler (both raw, as the server sends them). A missing route is the
 * server's 404; a handler may throw.
 */
export function fakeApi(routes: Record<string, Handler>, metrics: () => string = () => METRICS_TEXT) {
  const request = vi.fn(async (method: HttpMethod, path: string) => {
    const h = routes[`${method} ${path.split('?')[0]}`];
    if (!h) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${method} ${path}`);
    return h(path);
  });
  const blob = vi.fn(async (path: string) => {
    if (path === '/metrics') return new Blob([metrics()], { type: 'text/plain' });
    const h = routes[`GET ${path}`];
    if (path === '/health' && h) return new Blob([JSON.stringify(h(path))], { type: 'application/json' });
    throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route GET ${path}`);
  });
  const api = {
    request,
    blob,
    cameras: { list: () => request('GET', '/cameras') },
    layouts: {} as ApiClient['layouts'],
    alerts: {} as ApiClient['alerts'],
  } as unknown as ApiClient;
  return { api, request, blob };
}
