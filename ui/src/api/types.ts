// Why: the shapes the Vigil REST API and events socket exchange — aliases of the types generated from the server's OpenAPI document (schema.d.ts), narrowed where the document is loose.
import type { components } from './schema';

type Schemas = components['schemas'];
/** utoipa marks `Option` fields as not required, yet serde always sends them (as `null`): in a
 * response every field is there. */
type Sent<T> = Required<T>;

export type CameraStatus = Schemas['CameraStatus'];
export const CAMERA_STATUSES = [
  'stopped',
  'starting',
  'running',
  'error',
  'reconnecting',
  'stopping',
] as const satisfies readonly CameraStatus[];

export type RtspTransport = Schemas['RtspTransport'];
export type CameraSource = Schemas['Source'];
export type SourceKind = CameraSource['kind'];
export type Camera = Sent<Schemas['Camera']>;
/** The source as sent on create/update: the server fills in stream keys and publish URLs. */
export type CameraSourceInput = Schemas['SourceInput'];
/** Optional text fields: a string sets, `null` clears (PATCH), absent keeps. */
export type CameraCreate = Schemas['CameraCreate'];
export type CameraPatch = Schemas['CameraPatch'];

// ---- Alerts (docs/detection.md)

export type AlertKind = Schemas['AlertKind'];
export const ALERT_KINDS = [
  'camera_offline',
  'recording_failed',
  'storage_full',
  'detection',
  'detection_unavailable',
] as const satisfies readonly AlertKind[];
/** The document types severity as a string; the server only ever sends these three. */
export type AlertSeverity = 'info' | 'warning' | 'critical';
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly AlertSeverity[];
export type Alert = Omit<Sent<Schemas['Alert']>, 'severity'> & { severity: AlertSeverity };
export type AlertList = Omit<Schemas['AlertList'], 'alerts'> & { alerts: Alert[] };
/** Query of `GET /alerts`. */
export type AlertQuery = {
  severity?: AlertSeverity;
  type?: AlertKind;
  camera_id?: number;
  acknowledged?: boolean;
  since?: string;
  limit?: number;
};

// ---- Grid layouts (`/api/v1/layouts`, per user)

/** One tile: a camera at a cell of the 12-column grid, `size` in cells. */
export type LayoutTile = Schemas['Tile'];
/** Body of `POST /layouts` and `PUT /layouts/{id}` (a full replace); the UI always sends `is_default`. */
export type LayoutInput = Required<Schemas['LayoutInput']>;
export type Layout = Schemas['Layout'];

// ---- Errors and envelopes

export type ApiErrorInfo = Schemas['ErrorInfo'];
export interface ApiErrorDetails {
  fields?: Record<string, string>;
  [key: string]: unknown;
}
export interface ApiErrorBody {
  success: false;
  error: Omit<ApiErrorInfo, 'details' | 'timestamp' | 'requestId'> & {
    details?: ApiErrorDetails | null;
    timestamp?: string;
    requestId?: string;
  };
}
export interface ApiSuccessBody<T> {
  success: true;
  data: T;
}

// ---- Events socket

/** One message from `/api/v1/events` (`Event` in the document: type, at, camera_id, then its own fields). */
export interface VigilEvent {
  type: string;
  camera_id: number | null;
  at: string;
  camera?: Camera;
  status?: CameraStatus;
  missed?: number;
  [key: string]: unknown;
}

// ---- Live view (docs/live.md)

/** One MJPEG level offered by `GET /cameras/{id}/stream/info`. */
export type MjpegQuality = Schemas['QualityView'];
/** `StreamEndpoint`, narrowed by `type`. */
export type LiveStreamEntry =
  | { type: 'mse'; url: string }
  | { type: 'hls'; url: string }
  | { type: 'mjpeg'; url: string; qualities?: MjpegQuality[] | null }
  | { type: 'snapshot'; url: string };
/** `GET /cameras/{id}/stream/info`. `mime` is absent until the camera has connected once. */
export type StreamInfo = Omit<Schemas['StreamInfoView'], 'streams' | 'viewers' | 'width' | 'height'> & {
  streams: LiveStreamEntry[];
  width?: number | null;
  height?: number | null;
  viewers?: Schemas['ViewerCounts'];
};
