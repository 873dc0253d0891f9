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
  'storage_tier_offline',
  'storage_locked_only',
  'auth_failures',
  'database_restored',
] as const satisfies readonly AlertKind[];
export type AlertSeverity = Schemas['SeverityName'];
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly AlertSeverity[];
/** `snapshot_url` is set on detection alerts; alerts stored before it existed may carry
 * `details.snapshot_url` instead. */
export type Alert = Sent<Schemas['Alert']>;
export type AlertList = Omit<Schemas['AlertList'], 'alerts'> & { alerts: Alert[] };
/** Body of `POST /alerts/ack`: ids, a filter, or `all`. */
export type AckRequest = Schemas['AckRequest'];
export type AckResult = Schemas['AckResult'];
/** Query of `GET /alerts`. */
export type AlertQuery = {
  severity?: AlertSeverity;
  type?: AlertKind;
  camera_id?: number;
  acknowledged?: boolean;
  /** `false`: still going on (an incident not ended, a condition holding); `true`: over. */
  resolved?: boolean;
  since?: string;
  /** Created before (epoch ms or RFC 3339). */
  until?: string;
  /** Incidents with an object of this label. */
  label?: string;
  /** Incidents that touched this zone. */
  zone?: string;
  /** The next page: `next` of the previous answer. */
  cursor?: string;
  limit?: number;
};

// ---- Grid layouts (`/api/v1/layouts`, per user)

/** One tile: a camera at a cell of the 12-column grid, `size` in cells. */
export type LayoutTile = Schemas['Tile'];
/** Body of `POST /layouts` and `PUT /layouts/{id}` (a full replace); the UI always sends `is_default`. */
export type LayoutInput = Required<Schemas['LayoutInput']>;
export type Layout = Schemas['Layout'];

// ---- Errors and envelopes

/** The server's stable error codes (`ErrorInfo.code`). */
export type ErrorCode = Schemas['ErrorCode'];
/** Codes the client makes up when there is no server error to report: the server unreachable, a
 * reply that is not the envelope (`HTTP_502` from a proxy), an exception that was not an ApiError. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'CLIENT_ERROR' | `HTTP_${number}`;
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

/** A message's fields as serde sends them: every `Option` is there (as `null`), and the camera or
 * alert it carries is the UI's `Camera` / `Alert`. A homomorphic mapped type, so it distributes over
 * the union and `type` still tells the members apart. */
type SentBody<B> = {
  [K in keyof B]-?: K extends 'camera' ? Camera : K extends 'alert' ? Alert : Exclude<B[K], undefined>;
};

/** One message from `/api/v1/events` (`WireEvent` in the document: `type`, `at`, `camera_id`, then
 * the fields of its kind), a union to narrow by `type`. */
export type VigilEvent = SentBody<Schemas['WireEvent']>;
/** Every `type` an event can have. */
export type VigilEventType = VigilEvent['type'];
/** The event of one `type`, e.g. `EventOf<'alert'>`. */
export type EventOf<T extends VigilEventType> = Extract<VigilEvent, { type: T }>;

/** The `default` of a switch over a union: `return assertNever(ev)` fails to compile while a case is
 * missing. At run time (an event type from a newer server) it only hands the value back. */
export function assertNever(value: never): never {
  return value;
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
export type StreamInfo = Omit<Schemas['StreamInfo'], 'streams' | 'viewers' | 'width' | 'height' | 'has_sub' | 'stream'> & {
  streams: LiveStreamEntry[];
  width?: number | null;
  height?: number | null;
  viewers?: Schemas['ViewerCounts'];
  has_sub?: boolean;
  stream?: Schemas['StreamSel'];
};
