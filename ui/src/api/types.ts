// Why: the shapes the Vigil REST API and events socket exchange, hand-written until they are generated from OpenAPI.

export type CameraStatus = 'stopped' | 'starting' | 'running' | 'error' | 'reconnecting' | 'stopping';

export const CAMERA_STATUSES: readonly CameraStatus[] = [
  'stopped',
  'starting',
  'running',
  'error',
  'reconnecting',
  'stopping',
];

export type RtspTransport = 'tcp' | 'udp';

export type CameraSource =
  | { kind: 'rtsp'; url: string; transport: RtspTransport }
  | { kind: 'rtmp_push'; stream_key: string; publish_url: string }
  | { kind: 'file'; path: string };

export type SourceKind = CameraSource['kind'];

export interface Camera {
  id: number;
  name: string;
  manufacturer: string | null;
  model: string | null;
  serial_number: string | null;
  location: string | null;
  place: string | null;
  source: CameraSource;
  username: string | null;
  has_password: boolean;
  enabled: boolean;
  recording_enabled: boolean;
  detection_enabled: boolean;
  detect_fps: number;
  status: CameraStatus;
  created_at: string;
  updated_at: string;
}

/** The source as sent on create/update: the server fills in stream keys and publish URLs. */
export type CameraSourceInput =
  | { kind: 'rtsp'; url: string; transport?: RtspTransport }
  | { kind: 'rtmp_push' }
  | { kind: 'file'; path: string };

/** Optional text fields: a string sets, `null` clears (PATCH), absent keeps. */
export interface CameraCreate {
  name: string;
  manufacturer?: string | null;
  model?: string | null;
  serial_number?: string | null;
  location?: string | null;
  place?: string | null;
  source: CameraSourceInput;
  username?: string | null;
  /** Write-only. On PATCH, `null` removes the stored password and absent keeps it. */
  password?: string | null;
  enabled?: boolean;
  recording_enabled?: boolean;
  detection_enabled?: boolean;
  detect_fps?: number;
}

export type CameraPatch = Partial<CameraCreate>;

export interface ApiErrorDetails {
  fields?: Record<string, string>;
  [key: string]: unknown;
}

export interface ApiErrorBody {
  success: false;
  error: {
    code: string;
    message: string;
    details?: ApiErrorDetails | null;
    timestamp?: string;
    requestId?: string;
  };
}

export interface ApiSuccessBody<T> {
  success: true;
  data: T;
}

/** One message from `/api/v1/events`. */
export interface VigilEvent {
  type: string;
  camera_id: number | null;
  at: string;
  camera?: Camera;
  status?: CameraStatus;
  missed?: number;
  [key: string]: unknown;
}

/** One MJPEG level offered by `GET /cameras/{id}/stream/info`. */
export interface MjpegQuality {
  name: string;
  width: number;
  height: number;
  fps: number;
  jpeg_quality: number;
}

export type LiveStreamEntry =
  | { type: 'mse'; url: string }
  | { type: 'hls'; url: string }
  | { type: 'mjpeg'; url: string; qualities?: MjpegQuality[] }
  | { type: 'snapshot'; url: string };

/** `GET /cameras/{id}/stream/info` (docs/live.md). `mime` is absent until the camera has connected once. */
export interface StreamInfo {
  camera_id: number;
  state: string;
  codec?: string | null;
  width?: number | null;
  height?: number | null;
  mime?: string | null;
  streams: LiveStreamEntry[];
  viewers?: { mse: number; hls: number; mjpeg: number };
}
