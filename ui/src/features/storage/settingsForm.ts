// Why: the storage settings form's pure logic — values ⇄ StorageConfig (local tiers, the S3 archive, retention), the server's checks done first (same keys, same words), and server errors (VALIDATION_FAILED fields, STORAGE_CONFIG_CONFLICT) put next to the input they are about.
import type { ApiError } from '../../api/client';
import type { ArchiveConfig, ArchiveKeys, StorageConfig, TierConfig } from './types';
import { parseDuration, parseSize } from './units';

/** One tier as the inputs hold it (text, converted only when sent). */
export interface TierValues {
  name: string;
  /** Empty: the default (first tier only: DATA_DIR/recordings). */
  path: string;
  maxAge: string;
  maxSize: string;
  reserveFree: string;
}

/** A per-camera retention override. */
export interface OverrideValues {
  /** The camera's id as the select holds it; empty until chosen. */
  cameraId: string;
  continuous: string;
  events: string;
}

/** The S3 archive tier (`[storage.archive]`) as the inputs hold it. */
export interface ArchiveValues {
  /** Off: sent as no archive (the other inputs keep what was typed, for turning it back on). */
  enabled: boolean;
  /** `s3://bucket/prefix`. */
  url: string;
  /** Empty: AWS. */
  endpoint: string;
  /** Empty: `us-east-1` (or the server's AWS_REGION). */
  region: string;
  /** null: the default, on when an endpoint is given. */
  pathStyle: boolean | null;
  /** Empty: kept until retention says otherwise. */
  maxAge: string;
  /** Empty: `archive`. */
  name: string;
}

export interface SettingsValues {
  checkInterval: string;
  tiers: TierValues[];
  archive: ArchiveValues;
  continuous: string;
  events: string;
  eventPadding: string;
  overrides: OverrideValues[];
}

/** Messages keyed by the API's field path (`tiers[1].path`, `retention.events`, `retention.cameras.3.continuous`). */
export type FieldErrors = Record<string, string>;

export const MAX_TIERS = 8;
/** A tier with a next one and no max_age moves footage on after these days, by position. */
export const DEFAULT_TIER_AGES_DAYS = [7, 30, 90] as const;
/** The tier recording writes to when no tiers are configured. */
export const DEFAULT_TIER_NAME = 'hot';
/** The archive tier's name when none is given. */
export const DEFAULT_ARCHIVE_NAME = 'archive';

export const emptyTier = (): TierValues => ({ name: '', path: '', maxAge: '', maxSize: '', reserveFree: '' });

const text = (v: string | null | undefined) => v ?? '';

export function archiveFromConfig(a: ArchiveConfig | null | undefined): ArchiveValues {
  return {
    enabled: !!a,
    url: text(a?.url),
    endpoint: text(a?.endpoint),
    region: text(a?.region),
    pathStyle: a?.path_style ?? null,
    maxAge: text(a?.max_age),
    name: text(a?.name),
  };
}

export function formFromConfig(cfg: StorageConfig): SettingsValues {
  const tiers: TierValues[] = cfg.tiers.map((t) => ({
    name: t.name,
    path: text(t.path),
    maxAge: text(t.max_age),
    maxSize: text(t.max_size),
    reserveFree: text(t.reserve_free),
  }));
  // No tiers configured means one: `hot` at the default path. Show it, so tiers can be added after it.
  if (tiers.length === 0) tiers.push({ ...emptyTier(), name: DEFAULT_TIER_NAME });
  const r = cfg.retention;
  const overrides: OverrideValues[] = Object.entries(r.cameras ?? {})
    .map(([id, o]) => ({ cameraId: id, continuous: text(o.continuous), events: text(o.events) }))
    .sort((a, b) => Number(a.cameraId) - Number(b.cameraId));
  return {
    checkInterval: text(cfg.check_interval),
    tiers,
    archive: archiveFromConfig(cfg.archive),
    continuous: text(r.continuous),
    events: text(r.events),
    eventPadding: text(r.event_padding),
    overrides,
  };
}

const opt = (v: string): string | null => {
  const t = v.trim();
  return t === '' ? null : t;
};

function isDefaultTier(t: TierValues | undefined): boolean {
  return !!t && t.name.trim() === DEFAULT_TIER_NAME && !opt(t.path) && !opt(t.maxAge) && !opt(t.maxSize) && !opt(t.reserveFree);
}

/** Whether path-style requests are used: as set, else on when an endpoint is given (the server's default). */
export function archivePathStyle(a: ArchiveValues): boolean {
  return a.pathStyle ?? opt(a.endpoint) !== null;
}

/** The archive's tier name: as typed, else `archive`. */
export const archiveName = (a: ArchiveValues): string => opt(a.name) ?? DEFAULT_ARCHIVE_NAME;

/**
 * The `PUT /storage` body: trimmed text, empty inputs as null (the default). `base` is the settings
 * the form was opened with: what the form does not edit (anything newer) is sent back as it came,
 * since a PUT replaces everything.
 */
export function toConfig(v: SettingsValues, base?: StorageConfig): StorageConfig {
  const tiers: TierConfig[] =
    // The implicit default tier alone is sent as "no tiers", which is what the server had.
    v.tiers.length === 1 && isDefaultTier(v.tiers[0])
      ? []
      : v.tiers.map((t) => ({
          name: t.name.trim(),
          path: opt(t.path),
          max_age: opt(t.maxAge),
          max_size: opt(t.maxSize),
          reserve_free: opt(t.reserveFree),
        }));
  const cameras: StorageConfig['retention']['cameras'] = {};
  for (const o of v.overrides) {
    const id = o.cameraId.trim();
    if (!id) continue;
    cameras[id] = { continuous: opt(o.continuous), events: opt(o.events) };
  }
  return {
    ...base,
    check_interval: opt(v.checkInterval),
    tiers,
    archive: v.archive.enabled
      ? {
          ...base?.archive,
          name: opt(v.archive.name),
          url: v.archive.url.trim(),
          endpoint: opt(v.archive.endpoint),
          region: opt(v.archive.region),
          path_style: v.archive.pathStyle,
          max_age: opt(v.archive.maxAge),
        }
      : null,
    retention: {
      ...base?.retention,
      continuous: opt(v.continuous),
      events: opt(v.events),
      event_padding: opt(v.eventPadding),
      cameras,
    },
  };
}

/** Whether two forms would send the same settings. */
export function sameSettings(a: SettingsValues, b: SettingsValues): boolean {
  return JSON.stringify(toConfig(a)) === JSON.stringify(toConfig(b));
}

const NAME_RE = /^[a-z0-9_-]{1,32}$/;

/** Absolute on the server's platform: `/…`, `C:\…` or `\\server\…`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Paths compare as the server's PathBuf does: repeated and trailing separators do not count. */
function samePathKey(p: string): string {
  return p.replace(/[\\/]+/g, '/').replace(/(.)\/$/, '$1');
}

/** The error key of an override's duration: by camera id, as the server names it. */
export function overrideKey(o: OverrideValues, index: number, field: 'continuous' | 'events'): string {
  return `retention.cameras.${o.cameraId.trim() || `#${index}`}.${field}`;
}
/** The error key of an override's camera select (the client's own). */
export const overrideCameraKey = (index: number) => `retention.cameras[${index}]`;

/** Seconds of a duration input: null when empty, the message when it does not parse. */
function span(errs: FieldErrors, key: string, value: string): number | null {
  const t = value.trim();
  if (!t) return null;
  const p = parseDuration(t);
  if (!p.ok) {
    errs[key] = p.error;
    return null;
  }
  return p.value;
}

function size(errs: FieldErrors, key: string, value: string): number | null {
  const t = value.trim();
  if (!t) return null;
  const p = parseSize(t);
  if (!p.ok) {
    errs[key] = p.error;
    return null;
  }
  return p.value;
}

/** Bytes of a string in UTF-8 (Rust's `str::len`). */
const utf8Len = (s: string) => new TextEncoder().encode(s).length;

/** `parse_s3_url`'s refusal of an archive URL, or null when it is `s3://bucket` or `s3://bucket/prefix`. */
export function s3UrlError(url: string): string | null {
  if (!url.startsWith('s3://')) return 'must be s3://bucket or s3://bucket/prefix';
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^[a-z0-9.-]{3,63}$/.test(bucket) || /^[-.]|[-.]$/.test(bucket)) {
    return 'the bucket name must be 3–63 lower-case letters, digits, - and .';
  }
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((p) => p === '.' || p === '..') || prefix.includes('//') || utf8Len(prefix) > 512) {
    return 'the prefix must be a plain path';
  }
  return null;
}

/** An http:// or https:// URL with a host, as the server's `url::Url` (also WHATWG) reads it. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const REGION_RE = /^[A-Za-z0-9-]{1,64}$/;

/** The archive's checks in `StorageConfig::validate` (only when it is on); `tierNames` are the local tiers'. */
function validateArchive(errs: FieldErrors, a: ArchiveValues, tierNames: ReadonlySet<string>): void {
  if (!a.enabled) return;
  const name = archiveName(a);
  if (!NAME_RE.test(name)) errs['archive.name'] = '1–32 characters: lower-case letters, digits, - and _';
  else if (tierNames.has(name)) errs['archive.name'] = 'names must be unique';
  const urlErr = s3UrlError(a.url.trim());
  if (urlErr) errs['archive.url'] = urlErr;
  const endpoint = opt(a.endpoint);
  if (endpoint !== null && !isHttpUrl(endpoint)) errs['archive.endpoint'] = 'must be an http:// or https:// URL';
  const region = opt(a.region);
  if (region !== null && !REGION_RE.test(region)) errs['archive.region'] = 'not a region name';
  if (span(errs, 'archive.max_age', a.maxAge) === 0) errs['archive.max_age'] = 'must be above 0';
}

/** The checks `StorageConfig::validate` makes, with its keys and words, so most errors need no round trip. */
export function validateSettings(v: SettingsValues): FieldErrors {
  const errs: FieldErrors = {};
  const interval = span(errs, 'check_interval', v.checkInterval);
  if (interval !== null && (interval < 10 || interval > 86_400)) errs.check_interval = 'must be between 10s and 1d';
  if (v.tiers.length > MAX_TIERS) errs.tiers = `at most ${MAX_TIERS} tiers`;
  const names = new Set<string>();
  const paths = new Set<string>();
  v.tiers.forEach((t, i) => {
    const k = (f: string) => `tiers[${i}].${f}`;
    const name = t.name.trim();
    if (!NAME_RE.test(name)) errs[k('name')] = '1–32 characters: lower-case letters, digits, - and _';
    else if (names.has(name)) errs[k('name')] = 'names must be unique';
    names.add(name);
    const path = t.path.trim();
    if (!path) {
      if (i > 0) errs[k('path')] = 'is required (only the first tier has a default path)';
    } else if (!isAbsolutePath(path)) {
      errs[k('path')] = 'must be an absolute path';
    } else if (paths.has(samePathKey(path))) {
      errs[k('path')] = 'two tiers share this path';
    } else {
      paths.add(samePathKey(path));
    }
    const age = span(errs, k('max_age'), t.maxAge);
    if (age === 0) errs[k('max_age')] = 'must be above 0';
    const max = size(errs, k('max_size'), t.maxSize);
    if (max !== null && max < 2 ** 20) errs[k('max_size')] = 'must be at least 1MiB';
    size(errs, k('reserve_free'), t.reserveFree);
  });
  validateArchive(errs, v.archive, names);
  const cont = span(errs, 'retention.continuous', v.continuous);
  const ev = span(errs, 'retention.events', v.events);
  if (cont === 0) errs['retention.continuous'] = 'must be above 0';
  if (ev === 0) errs['retention.events'] = 'must be above 0';
  else if (cont !== null && ev !== null && ev < cont) {
    errs['retention.events'] = 'must not be shorter than retention.continuous (event footage is kept longer)';
  }
  const pad = span(errs, 'retention.event_padding', v.eventPadding);
  if (pad !== null && pad > 3_600) errs['retention.event_padding'] = 'must be at most 1h';
  const seen = new Set<string>();
  v.overrides.forEach((o, i) => {
    const id = o.cameraId.trim();
    if (!id) errs[overrideCameraKey(i)] = 'choose a camera';
    else if (seen.has(id)) errs[overrideCameraKey(i)] = 'this camera already has an override';
    seen.add(id);
    for (const f of ['continuous', 'events'] as const) {
      const key = overrideKey(o, i, f);
      if (span(errs, key, o[f]) === 0) errs[key] = 'must be above 0';
    }
  });
  return errs;
}

/** The archive's inputs, by their error keys' last part. */
export const ARCHIVE_FIELDS = ['url', 'endpoint', 'region', 'max_age', 'name'] as const;
/** The error key of the archive's on/off switch (a conflict about an archive being removed goes there). */
export const ARCHIVE_KEY = 'archive';

/** Every key the form shows an error under, for these values. */
export function visibleKeys(v: SettingsValues): Set<string> {
  const keys = new Set<string>([
    'check_interval',
    'tiers',
    'retention.continuous',
    'retention.events',
    'retention.event_padding',
  ]);
  v.tiers.forEach((_, i) => {
    for (const f of ['name', 'path', 'max_age', 'max_size', 'reserve_free']) keys.add(`tiers[${i}].${f}`);
  });
  // `archive` is the client's own key, under the on/off switch.
  keys.add(ARCHIVE_KEY);
  if (v.archive.enabled) for (const f of ARCHIVE_FIELDS) keys.add(`archive.${f}`);
  v.overrides.forEach((o, i) => {
    keys.add(overrideCameraKey(i));
    keys.add(overrideKey(o, i, 'continuous'));
    keys.add(overrideKey(o, i, 'events'));
  });
  return keys;
}

export interface MappedError {
  /** Messages shown next to their inputs. */
  fields: FieldErrors;
  /** Field messages with no input on screen, as "key: message", for the banner. */
  unplaced: string[];
}

/**
 * A failed save spread over the form: `details.fields` by key, and a STORAGE_CONFIG_CONFLICT that
 * names a tier (`tier "warm" holds 12 segments at …; its path cannot change`) at that tier's path, or
 * the archive (`the archive "archive" holds 3 segments at s3://…; it cannot be removed or pointed
 * elsewhere`) at its URL — at its on/off switch when it was turned off.
 */
export function mapServerError(err: Pick<ApiError, 'code' | 'message' | 'fields'>, v: SettingsValues): MappedError {
  const visible = visibleKeys(v);
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  for (const [key, msg] of Object.entries(err.fields)) {
    if (visible.has(key)) fields[key] = fields[key] ? `${fields[key]}; ${msg}` : msg;
    else unplaced.push(`${key}: ${msg}`);
  }
  if (err.code === 'STORAGE_CONFIG_CONFLICT') {
    const named = /tier "([^"]+)"/.exec(err.message)?.[1];
    const i = named !== undefined ? v.tiers.findIndex((t) => t.name.trim() === named) : -1;
    if (i >= 0) fields[`tiers[${i}].path`] = err.message;
    else if (/first tier/.test(err.message)) fields['tiers[0].name'] = err.message;
    else if (/\barchive "/.test(err.message)) fields[v.archive.enabled ? 'archive.url' : ARCHIVE_KEY] = err.message;
  }
  return { fields, unplaced };
}

/** Placeholder of a tier's max age: the default the server applies at this position (with an archive
 * after them, every local tier has a next one). */
export function maxAgePlaceholder(index: number, count: number, archive = false): string {
  if (index >= count - 1 && !archive) return 'no limit';
  const days = DEFAULT_TIER_AGES_DAYS[Math.min(index, DEFAULT_TIER_AGES_DAYS.length - 1)];
  return `default ${days}d`;
}

/** The values with one field of one tier changed. */
export function setTier(v: SettingsValues, index: number, patch: Partial<TierValues>): SettingsValues {
  return { ...v, tiers: v.tiers.map((t, i) => (i === index ? { ...t, ...patch } : t)) };
}

export function addTier(v: SettingsValues): SettingsValues {
  const used = new Set(v.tiers.map((t) => t.name.trim()));
  if (v.archive.enabled) used.add(archiveName(v.archive));
  const name = ['warm', 'cold', 'archive'].find((n) => !used.has(n)) ?? '';
  return { ...v, tiers: [...v.tiers, { ...emptyTier(), name }] };
}

/** The first tier (where recording writes) stays. */
export function removeTier(v: SettingsValues, index: number): SettingsValues {
  if (index <= 0) return v;
  return { ...v, tiers: v.tiers.filter((_, i) => i !== index) };
}

/** The values with some of the archive's inputs changed. */
export function setArchive(v: SettingsValues, patch: Partial<ArchiveValues>): SettingsValues {
  return { ...v, archive: { ...v.archive, ...patch } };
}

export function setOverride(v: SettingsValues, index: number, patch: Partial<OverrideValues>): SettingsValues {
  return { ...v, overrides: v.overrides.map((o, i) => (i === index ? { ...o, ...patch } : o)) };
}

export function addOverride(v: SettingsValues): SettingsValues {
  return { ...v, overrides: [...v.overrides, { cameraId: '', continuous: '', events: '' }] };
}

export function removeOverride(v: SettingsValues, index: number): SettingsValues {
  return { ...v, overrides: v.overrides.filter((_, i) => i !== index) };
}

/** Errors without the ones whose keys start with `prefix` (an edited input's, or a removed row's). */
export function dropErrors(errs: FieldErrors, prefix: string): FieldErrors {
  const keys = Object.keys(errs).filter((k) => k.startsWith(prefix));
  if (keys.length === 0) return errs;
  const next = { ...errs };
  for (const k of keys) delete next[k];
  return next;
}

/** The access-key inputs (never filled from the server: it does not give keys back). */
export interface KeysValues {
  accessKeyId: string;
  secretAccessKey: string;
}

/** `PUT /storage/archive/credentials`'s checks, with its keys and words: the id is trimmed, the secret sent as typed. */
export function validateKeys(k: KeysValues): FieldErrors {
  const errs: FieldErrors = {};
  const id = k.accessKeyId.trim();
  if (!id) errs.access_key_id = 'is required';
  else if ([...id].length > 128) errs.access_key_id = 'must be at most 128 characters';
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) errs.access_key_id = 'must not contain control characters';
  const secretLen = [...k.secretAccessKey].length;
  if (secretLen === 0 || secretLen > 256) errs.secret_access_key = 'must be 1–256 characters';
  return errs;
}

/** The `PUT /storage/archive/credentials` body. */
export function toKeys(k: KeysValues): ArchiveKeys {
  return { access_key_id: k.accessKeyId.trim(), secret_access_key: k.secretAccessKey };
}
