// Why: the System page's API shapes — aliases of the types generated from the server's OpenAPI document (schema.d.ts), narrowed where responses always carry a field.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];
/** A response field that is an `Option` is always sent (as `null`). */
type Sent<T> = Required<T>;

/** `GET /cameras/{id}/status`: state, rates over about the last second, totals, drops per consumer (the fields the page reads). */
export type StreamStatus = Pick<
  Sent<Schemas['StreamStatus']>,
  | 'camera_id'
  | 'status'
  | 'since'
  | 'last_error'
  | 'codec'
  | 'width'
  | 'height'
  | 'packets'
  | 'bytes'
  | 'reconnects'
  | 'fps'
  | 'bitrate_kbps'
  | 'packets_per_second'
  | 'last_packet_at'
  | 'dropped'
  | 'recording'
>;
/** `GET /detection/status`: the detection service and each camera's detector counters. */
export type DetectionStatus = Omit<Sent<Schemas['DetectionStatus']>, 'cameras'> & { cameras: CameraDetectionStats[] };
export type CameraDetectionStats = Schemas['CameraDetectionStats'];
/** `GET /health` (no authentication): `ok`, the version, the detection state. */
export type Health = Schemas['Health'];
