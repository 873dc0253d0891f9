// Why: the camera form's pure logic — values ⇄ Camera, request bodies for create/PATCH, validation and server field errors.
import type { ApiError } from '../../api/client';
import type {
  Camera,
  CameraCreate,
  CameraPatch,
  CameraSourceInput,
  RtspTransport,
  SourceKind,
} from '../../api/types';

/** What the form's inputs hold: always strings and booleans, converted only when sent. */
export interface CameraFormValues {
  name: string;
  manufacturer: string;
  model: string;
  serial_number: string;
  location: string;
  place: string;
  sourceKind: SourceKind;
  rtspUrl: string;
  rtspTransport: RtspTransport;
  filePath: string;
  /** ONVIF: `host:port` of the camera's ONVIF service and the profile tokens ('' = none). */
  onvifAddress: string;
  onvifMain: string;
  onvifSub: string;
  username: string;
  /** New password; empty means "keep" on edit and "none" on create. */
  password: string;
  /** Edit only: send `password: null` to remove the stored password. */
  removePassword: boolean;
  enabled: boolean;
  recording_enabled: boolean;
  detection_enabled: boolean;
  detect_fps: string;
}

/**
 * Errors are keyed by the API's field path (`name`, `serial_number`, `source.url`, ...), which is
 * also what the form renders as `data-testid="field-error-<key>"`.
 */
export type FieldErrors = Record<string, string>;

export const OPTIONAL_TEXT_FIELDS = [
  'manufacturer',
  'model',
  'serial_number',
  'location',
  'place',
] as const;

const FLAG_FIELDS = ['enabled', 'recording_enabled', 'detection_enabled'] as const;

export const DEFAULT_DETECT_FPS = 5;

export function emptyForm(): CameraFormValues {
  return {
    name: '',
    manufacturer: '',
    model: '',
    serial_number: '',
    location: '',
    place: '',
    sourceKind: 'rtsp',
    rtspUrl: '',
    rtspTransport: 'tcp',
    filePath: '',
    onvifAddress: '',
    onvifMain: '',
    onvifSub: '',
    username: '',
    password: '',
    removePassword: false,
    enabled: true,
    recording_enabled: true,
    detection_enabled: false,
    detect_fps: String(DEFAULT_DETECT_FPS),
  };
}

export function formFromCamera(c: Camera): CameraFormValues {
  const v = emptyForm();
  v.name = c.name;
  for (const f of OPTIONAL_TEXT_FIELDS) v[f] = c[f] ?? '';
  v.username = c.username ?? '';
  v.sourceKind = c.source.kind;
  if (c.source.kind === 'rtsp') {
    v.rtspUrl = c.source.url;
    v.rtspTransport = c.source.transport;
  } else if (c.source.kind === 'file') {
    v.filePath = c.source.path;
  } else if (c.source.kind === 'onvif') {
    v.onvifAddress = c.source.address;
    v.onvifMain = c.source.main_profile;
    v.onvifSub = c.source.sub_profile ?? '';
    v.rtspTransport = c.source.transport;
  }
  v.enabled = c.enabled;
  v.recording_enabled = c.recording_enabled;
  v.detection_enabled = c.detection_enabled;
  v.detect_fps = String(c.detect_fps);
  return v;
}

function sourceInput(v: CameraFormValues): CameraSourceInput {
  switch (v.sourceKind) {
    case 'rtsp':
      return { kind: 'rtsp', url: v.rtspUrl.trim(), transport: v.rtspTransport };
    case 'file':
      return { kind: 'file', path: v.filePath.trim() };
    case 'rtmp_push':
      return { kind: 'rtmp_push' };
    case 'onvif':
      return {
        kind: 'onvif',
        address: v.onvifAddress.trim(),
        main_profile: v.onvifMain,
        sub_profile: v.onvifSub || null,
        transport: v.rtspTransport,
      };
  }
}

/** Sources that Vigil connects to with a user name and password. */
export function hasCredentials(kind: SourceKind): boolean {
  return kind === 'rtsp' || kind === 'onvif';
}

function fpsValue(v: CameraFormValues): number {
  return Number(v.detect_fps.trim());
}

/** POST body: trimmed text, empty optional fields left out, password only when typed. */
export function toCreateBody(v: CameraFormValues): CameraCreate {
  const body: CameraCreate = { name: v.name.trim(), source: sourceInput(v) };
  for (const f of OPTIONAL_TEXT_FIELDS) {
    const t = v[f].trim();
    if (t) body[f] = t;
  }
  // Credentials belong to the sources Vigil connects to.
  if (hasCredentials(v.sourceKind)) {
    const user = v.username.trim();
    if (user) body.username = user;
    // Passwords are sent as typed: spaces may be part of them.
    if (v.password) body.password = v.password;
  }
  for (const f of FLAG_FIELDS) body[f] = v[f];
  body.detect_fps = fpsValue(v);
  return body;
}

/** undefined = unchanged, null = cleared, string = new value. */
function textChange(value: string, before: string | null): string | null | undefined {
  const t = value.trim();
  if (t === '') return before !== null && before !== '' ? null : undefined;
  return t !== before ? t : undefined;
}

function sourceChanged(v: CameraFormValues, c: Camera): boolean {
  const s = c.source;
  if (v.sourceKind !== s.kind) return true;
  if (s.kind === 'rtsp') return v.rtspUrl.trim() !== s.url || v.rtspTransport !== s.transport;
  if (s.kind === 'file') return v.filePath.trim() !== s.path;
  if (s.kind === 'onvif') {
    return (
      v.onvifAddress.trim() !== s.address ||
      v.onvifMain !== s.main_profile ||
      (v.onvifSub || null) !== (s.sub_profile ?? null) ||
      v.rtspTransport !== s.transport
    );
  }
  // Re-sending rtmp_push would be harmless (the key is kept) but there is nothing to change.
  return false;
}

/**
 * PATCH body with only what changed: a cleared optional field becomes `null`, an untouched
 * password is left out (kept), "remove password" sends `null`, a typed one is sent as is.
 */
export function toPatchBody(v: CameraFormValues, original: Camera): CameraPatch {
  const body: CameraPatch = {};
  const name = v.name.trim();
  if (name !== original.name) body.name = name;
  for (const f of OPTIONAL_TEXT_FIELDS) {
    const change = textChange(v[f], original[f]);
    if (change !== undefined) body[f] = change;
  }
  if (sourceChanged(v, original)) body.source = sourceInput(v);
  // The credential inputs are shown for RTSP and ONVIF only; other kinds leave what is stored alone.
  if (hasCredentials(v.sourceKind)) {
    const change = textChange(v.username, original.username);
    if (change !== undefined) body.username = change;
    if (v.removePassword) {
      if (original.has_password) body.password = null;
    } else if (v.password) {
      body.password = v.password;
    }
  }
  for (const f of FLAG_FIELDS) if (v[f] !== original[f]) body[f] = v[f];
  const fps = fpsValue(v);
  if (fps !== original.detect_fps) body.detect_fps = fps;
  return body;
}

/** Checks the server would make anyway, done first so the user gets them without a round trip. */
export function validateForm(v: CameraFormValues): FieldErrors {
  const errs: FieldErrors = {};
  if (!v.name.trim()) errs.name = 'is required';
  if (v.sourceKind === 'rtsp') {
    const url = v.rtspUrl.trim();
    if (!url) errs['source.url'] = 'is required';
    else if (!/^rtsps?:\/\//i.test(url)) errs['source.url'] = 'must start with rtsp:// or rtsps://';
  }
  if (v.sourceKind === 'onvif') {
    if (!v.onvifAddress.trim()) errs['source.address'] = 'is required';
    if (!v.onvifMain) errs['source.main_profile'] = 'read the camera’s profiles and pick the main stream';
  }
  if (v.sourceKind === 'file') {
    const p = v.filePath.trim();
    if (!p) errs['source.path'] = 'is required';
    else if (!p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p)) errs['source.path'] = 'must be an absolute path';
  }
  const fps = v.detect_fps.trim();
  const n = Number(fps);
  if (!fps || !Number.isInteger(n) || n < 1 || n > 30) errs.detect_fps = 'must be between 1 and 30';
  return errs;
}

/** Server spellings that name the same input as one of ours. */
const FIELD_ALIASES: Record<string, string> = {
  url: 'source.url',
  path: 'source.path',
  transport: 'source.transport',
  'source.kind': 'source',
  kind: 'source',
};

/** The error keys the form can show next to an input, given the chosen source kind. */
export function visibleFields(v: Pick<CameraFormValues, 'sourceKind'>): Set<string> {
  const keys = new Set<string>(['name', 'source', 'detect_fps', ...OPTIONAL_TEXT_FIELDS]);
  for (const f of FLAG_FIELDS) keys.add(f);
  if (v.sourceKind === 'rtsp') {
    for (const k of ['source.url', 'source.transport', 'username', 'password']) keys.add(k);
  }
  if (v.sourceKind === 'file') keys.add('source.path');
  if (v.sourceKind === 'onvif') {
    for (const k of ['source.address', 'source.main_profile', 'source.sub_profile', 'username', 'password']) keys.add(k);
  }
  return keys;
}

export interface MappedApiError {
  /** Messages to show next to inputs. */
  fields: FieldErrors;
  /** Field messages with no input on screen, shown in the banner as "key: message". */
  unplaced: string[];
}

/** Spread an API error's `details.fields` over the form's inputs. */
export function mapApiFieldErrors(
  err: Pick<ApiError, 'fields'>,
  v: Pick<CameraFormValues, 'sourceKind'>,
): MappedApiError {
  const visible = visibleFields(v);
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  for (const [rawKey, msg] of Object.entries(err.fields)) {
    const key = FIELD_ALIASES[rawKey] ?? rawKey;
    if (visible.has(key)) fields[key] = fields[key] ? `${fields[key]}; ${msg}` : msg;
    else unplaced.push(`${rawKey}: ${msg}`);
  }
  return { fields, unplaced };
}

/** "serial_number" → "Serial number", for messages that stand on their own. */
export function fieldLabel(key: string): string {
  const labels: Record<string, string> = {
    serial_number: 'Serial number',
    'source.url': 'RTSP URL',
    'source.path': 'File path',
    'source.transport': 'Transport',
    'source.address': 'ONVIF address',
    'source.main_profile': 'Main stream',
    'source.sub_profile': 'Sub-stream',
    source: 'Source',
    detect_fps: 'Detection FPS',
    recording_enabled: 'Recording',
    detection_enabled: 'Detection',
  };
  return labels[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');
}
