// Why: the Review page's logic as pure functions — its filters as an incident query, the clip an incident plays, the zones it offers and the keys that move through the grid.
import type { Alert, AlertQuery } from '../../api/types';
import { rangeToQuery } from '../alerts/alertState';
import type { TimeRange } from '../alerts/alertState';

/**
 * Reviewed is the incident's acknowledgement: one state, so the header badge, the alert list and
 * this page agree on what still needs a look (Frigate keeps the two apart and its users ask why an
 * alert they reviewed still counts as new).
 */
export type ReviewState = 'unreviewed' | 'reviewed' | 'all';

export interface ReviewFilter {
  cameraId: number | null;
  /** '' any. */
  label: string;
  /** '' any. */
  zone: string;
  range: TimeRange;
  from: string;
  to: string;
  state: ReviewState;
}

export const REVIEW_FILTER: ReviewFilter = { cameraId: null, label: '', zone: '', range: 'any', from: '', to: '', state: 'unreviewed' };

/** Incidents per page: 4–6 rows of large thumbnails. */
export const REVIEW_PAGE = 36;

/** The incidents (`detection` alerts) the filter asks for, newest first. */
export function reviewQuery(f: ReviewFilter, now = Date.now(), limit = REVIEW_PAGE): AlertQuery {
  const q: AlertQuery = { type: 'detection', limit };
  if (f.cameraId !== null) q.camera_id = f.cameraId;
  if (f.label) q.label = f.label;
  if (f.zone) q.zone = f.zone;
  if (f.state !== 'all') q.acknowledged = f.state === 'reviewed';
  return { ...q, ...rangeToQuery(f.range, f.from, f.to, now) };
}

/** Footage shown before an incident's first sighting and after its last (objects are confirmed a
 * moment after they enter, and leave a moment after the last detection). */
export const CLIP_LEAD_MS = 5_000;
export const CLIP_TAIL_MS = 5_000;
/** An incident still going on plays up to now; a clip never runs longer than this (an incident of
 * an hour is reviewed on the timeline). */
export const CLIP_MAX_MS = 10 * 60_000;

/** The span of footage an incident's clip plays (epoch ms), or null without a camera or time. */
export function clipWindow(
  a: Pick<Alert, 'camera_id' | 'created_at' | 'last_at' | 'ended_at'>,
  now = Date.now(),
): { cameraId: number; startMs: number; endMs: number } | null {
  const start = Date.parse(a.created_at);
  if (a.camera_id == null || Number.isNaN(start)) return null;
  const lastIso = a.ended_at ?? a.last_at;
  const last = lastIso ? Date.parse(lastIso) : NaN;
  const end = Number.isNaN(last) ? Math.min(now, start + CLIP_MAX_MS) : last;
  const startMs = start - CLIP_LEAD_MS;
  const endMs = Math.min(Math.max(end, start) + CLIP_TAIL_MS, startMs + CLIP_MAX_MS);
  return { cameraId: a.camera_id, startMs, endMs };
}

/** Zones an incident touched (the server keeps them in `details.zones`). */
export function incidentZones(a: Pick<Alert, 'details'>): string[] {
  const z: unknown = (a.details as { zones?: unknown } | null)?.zones;
  return Array.isArray(z) ? z.filter((x): x is string => typeof x === 'string') : [];
}

/** Zones to offer: every zone seen in the incidents loaded, plus the one selected. */
export function zoneOptions(alerts: readonly Alert[], selected: string): string[] {
  const all = new Set<string>();
  for (const a of alerts) for (const z of incidentZones(a)) all.add(z);
  if (selected) all.add(selected);
  return [...all].sort((a, b) => a.localeCompare(b));
}

export type ReviewKey = 'next' | 'prev' | 'down' | 'up' | 'first' | 'last';

/**
 * The incident a key selects in a grid of `columns` columns: j/→ next, k/← previous, ↓/↑ a row,
 * Home/End. With nothing selected any move selects the first; moves stop at the ends.
 */
export function moveSelection(ids: readonly number[], current: number | null, key: ReviewKey, columns: number): number | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i < 0) return key === 'last' ? (ids[ids.length - 1] ?? null) : (ids[0] ?? null);
  const step = { next: 1, prev: -1, down: Math.max(1, columns), up: -Math.max(1, columns), first: -i, last: ids.length - 1 - i }[key];
  const to = Math.min(ids.length - 1, Math.max(0, i + step));
  return ids[to] ?? null;
}

/** What a key press on the page does; null for keys the page leaves alone. */
export type ReviewAction = { move: ReviewKey } | { toggle: true } | { review: true } | { close: true };

export function reviewKeyAction(key: string): ReviewAction | null {
  switch (key) {
    case 'j':
    case 'ArrowRight':
      return { move: 'next' };
    case 'k':
    case 'ArrowLeft':
      return { move: 'prev' };
    case 'ArrowDown':
      return { move: 'down' };
    case 'ArrowUp':
      return { move: 'up' };
    case 'Home':
      return { move: 'first' };
    case 'End':
      return { move: 'last' };
    case ' ':
    case 'Enter':
      return { toggle: true };
    case 'r':
      return { review: true };
    case 'Escape':
      return { close: true };
    default:
      return null;
  }
}
