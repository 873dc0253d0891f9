// Why: the detection-settings editor's pure logic — API settings ⇄ form values, local checks, zone polygon editing in frame fractions, and server field errors placed per input.
import type { ApiClient } from '../../api/client';

export type ZoneMode = 'include' | 'exclude';
export type Anchor = 'bottom_center' | 'center';
export type Point = [number, number];

export interface Zone {
  name: string;
  mode: ZoneMode;
  polygon: Point[];
}

export interface DetectionFilter {
  labels?: string[];
  min_score?: number;
  min_area?: number;
  max_area?: number;
  anchor?: Anchor;
  zones?: Zone[];
  [key: string]: unknown;
}

/** `GET/PUT /cameras/{id}/detection` (docs/detection.md). */
export interface DetectionSettings {
  substream_url?: string | null;
  filter?: DetectionFilter;
}

/** What the inputs hold: text where the user types numbers, so a half-typed value is not lost. */
export interface DetectionForm {
  substream_url: string;
  labels: string;
  min_score: string;
  min_area: string;
  max_area: string;
  anchor: Anchor;
  zones: Zone[];
  /** Keys of the loaded filter this editor does not know, sent back unchanged. */
  extra: Record<string, unknown>;
}

const KNOWN = new Set(['labels', 'min_score', 'min_area', 'max_area', 'anchor', 'zones']);

const numText = (v: unknown, fallback: number) => String(typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function formFromSettings(s: DetectionSettings): DetectionForm {
  const f = s.filter ?? {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (!KNOWN.has(k)) extra[k] = v;
  return {
    substream_url: s.substream_url ?? '',
    labels: (f.labels ?? []).join(', '),
    min_score: numText(f.min_score, 0),
    min_area: numText(f.min_area, 0),
    max_area: numText(f.max_area, 1),
    anchor: f.anchor === 'center' ? 'center' : 'bottom_center',
    zones: (f.zones ?? []).map((z) => ({
      name: z.name ?? '',
      mode: z.mode === 'exclude' ? 'exclude' : 'include',
      polygon: (z.polygon ?? []).map(([x, y]) => [x, y] as Point),
    })),
    extra,
  };
}

/** "person, Car ,,car" → ["person", "car"]: trimmed, lower-case, no empties, no repeats. */
export function parseLabels(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,\n]/)) {
    const l = part.trim().toLowerCase();
    if (l && !out.includes(l)) out.push(l);
  }
  return out;
}

export type FieldErrors = Record<string, string>;

/** The checks the server makes too, keyed like its `details.fields` (`filter.min_score`, `filter.zones[0].polygon`). */
export function validateDetection(f: DetectionForm): FieldErrors {
  const errs: FieldErrors = {};
  const frac = (key: 'min_score' | 'min_area' | 'max_area') => {
    const t = f[key].trim();
    const n = Number(t);
    if (!t || !Number.isFinite(n) || n < 0 || n > 1) {
      errs[`filter.${key}`] = 'must be between 0 and 1';
      return null;
    }
    return n;
  };
  frac('min_score');
  const lo = frac('min_area');
  const hi = frac('max_area');
  if (lo !== null && hi !== null && lo > hi) errs['filter.max_area'] = 'must not be below min_area';
  const url = f.substream_url.trim();
  if (url && !/^rtsps?:\/\//i.test(url)) errs.substream_url = 'must be an rtsp:// URL';
  else if (url && /^rtsps?:\/\/[^/]*@/i.test(url)) {
    errs.substream_url = "must not contain credentials: the camera's username and password are used";
  }
  f.zones.forEach((z, i) => {
    if (z.polygon.length < 3) errs[`filter.zones[${i}].polygon`] = 'needs at least 3 points';
  });
  return errs;
}

/** The PUT body. */
export function settingsFromForm(f: DetectionForm): DetectionSettings {
  const url = f.substream_url.trim();
  return {
    substream_url: url || null,
    filter: {
      ...f.extra,
      labels: parseLabels(f.labels),
      min_score: Number(f.min_score),
      min_area: Number(f.min_area),
      max_area: Number(f.max_area),
      anchor: f.anchor,
      zones: f.zones.map((z, i) => ({ name: z.name.trim() || `zone ${i + 1}`, mode: z.mode, polygon: z.polygon })),
    },
  };
}

/** A server field key as the editor shows it: `filter.zones[2].polygon` and `filter.zones[2]` → the zone row. */
export function placeError(key: string): string {
  const zone = /^filter\.zones\[(\d+)\]/.exec(key);
  if (zone) return `zone-${zone[1]}`;
  return key;
}

export function placeErrors(fields: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = placeError(k);
    out[key] = out[key] ? `${out[key]}; ${v}` : v;
  }
  return out;
}

// ---- Zone geometry, in fractions of the frame (0..1, origin top-left)

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** The frame point under a pointer at (clientX, clientY) over a picture shown in `rect`. */
export function pointerToPoint(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): Point {
  if (rect.width <= 0 || rect.height <= 0) return [0, 0];
  return [round4(clamp01((clientX - rect.left) / rect.width)), round4(clamp01((clientY - rect.top) / rect.height))];
}

/** The vertex (zone, index) nearest to `p` within `tolPx` on a picture `w`×`h` pixels, or null. */
export function hitVertex(zones: readonly Zone[], p: Point, w: number, h: number, tolPx = 10): { zone: number; index: number } | null {
  let best: { zone: number; index: number } | null = null;
  let bestD = tolPx;
  zones.forEach((z, zi) =>
    z.polygon.forEach(([x, y], i) => {
      const d = Math.hypot((x - p[0]) * w, (y - p[1]) * h);
      if (d <= bestD) {
        best = { zone: zi, index: i };
        bestD = d;
      }
    }),
  );
  return best;
}

/** Replace one zone (immutably). */
export function updateZone(zones: readonly Zone[], i: number, fn: (z: Zone) => Zone): Zone[] {
  return zones.map((z, k) => (k === i ? fn(z) : z));
}

export const addPoint = (zones: readonly Zone[], i: number, p: Point) =>
  updateZone(zones, i, (z) => ({ ...z, polygon: [...z.polygon, p] }));

export const movePoint = (zones: readonly Zone[], i: number, index: number, p: Point) =>
  updateZone(zones, i, (z) => ({ ...z, polygon: z.polygon.map((q, k) => (k === index ? p : q)) }));

export const removePoint = (zones: readonly Zone[], i: number, index: number) =>
  updateZone(zones, i, (z) => ({ ...z, polygon: z.polygon.filter((_, k) => k !== index) }));

/** SVG `points` for a polygon drawn in a viewBox of 0 0 1 1. */
export const svgPoints = (polygon: readonly Point[]) => polygon.map(([x, y]) => `${x},${y}`).join(' ');

export function getDetection(api: ApiClient, cameraId: number): Promise<DetectionSettings> {
  return api.request<DetectionSettings>('GET', `/cameras/${encodeURIComponent(String(cameraId))}/detection`);
}

export function putDetection(api: ApiClient, cameraId: number, body: DetectionSettings): Promise<DetectionSettings> {
  return api.request<DetectionSettings>('PUT', `/cameras/${encodeURIComponent(String(cameraId))}/detection`, body);
}
