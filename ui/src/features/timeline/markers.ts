// Why: pure marker logic for the scrub bar — previous/next event, merging bookmarks into the timeline's markers, clustering at a zoom, instants from the API.
import { msToPx } from './timeMath';
import type { Range } from './timeMath';
import type { Bookmark, MarkerKind, TimelineMarker } from './types';

/** Epoch ms from a number or an RFC 3339 string; null when neither. */
export function toMs(v: number | string | null | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v) {
    if (/^-?\d+$/.test(v)) return Number(v);
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

export function bookmarkToMarker(b: Bookmark): TimelineMarker | null {
  const at = typeof b.at_ms === 'number' ? b.at_ms : toMs(b.at);
  if (at === null) return null;
  const end = typeof b.end_ms === 'number' ? b.end_ms : toMs(b.end ?? null);
  return { at_ms: at, kind: 'bookmark', label: b.label, id: b.id, end_ms: end };
}

const markerKey = (m: TimelineMarker) => `${m.kind}:${m.id ?? `@${m.at_ms}`}`;

/**
 * The timeline's markers plus bookmarks known locally (just created, or listed separately),
 * without duplicates (same kind and id) and minus deleted bookmark ids, sorted by time.
 */
export function mergeMarkers(
  fromTimeline: readonly TimelineMarker[],
  extra: readonly TimelineMarker[],
  deletedBookmarks: ReadonlySet<number> = new Set(),
): TimelineMarker[] {
  const seen = new Map<string, TimelineMarker>();
  for (const m of [...fromTimeline, ...extra]) {
    if (m.kind === 'bookmark' && typeof m.id === 'number' && deletedBookmarks.has(m.id)) continue;
    const k = markerKey(m);
    if (!seen.has(k)) seen.set(k, m);
  }
  return [...seen.values()].sort((a, b) => a.at_ms - b.at_ms);
}

/**
 * The marker to jump to from `t`: the first one after `t` (by more than `nextEpsMs`, so the marker
 * just jumped to does not count again) or the last one before `t - prevEpsMs` (so pressing
 * "previous" while playing past a marker goes to the one before it, as players do).
 */
export function adjacentMarker(
  markers: readonly TimelineMarker[],
  t: number,
  dir: 'prev' | 'next',
  opts: { kinds?: ReadonlySet<string>; nextEpsMs?: number; prevEpsMs?: number } = {},
): TimelineMarker | null {
  const { kinds, nextEpsMs = 250, prevEpsMs = 1500 } = opts;
  const list = kinds ? markers.filter((m) => kinds.has(m.kind)) : markers;
  if (dir === 'next') {
    let best: TimelineMarker | null = null;
    for (const m of list) if (m.at_ms > t + nextEpsMs && (!best || m.at_ms < best.at_ms)) best = m;
    return best;
  }
  let best: TimelineMarker | null = null;
  for (const m of list) if (m.at_ms < t - prevEpsMs && (!best || m.at_ms > best.at_ms)) best = m;
  return best;
}

export interface MarkerCluster {
  /** Centre on the bar. */
  px: number;
  /** Where a detection's duration ends on the bar (the longest in the cluster), for its bar. */
  endPx: number | null;
  markers: TimelineMarker[];
  /** The kind drawn: alert beats detection beats bookmark when mixed. */
  kind: MarkerKind | string;
  /** The highest alert severity in the cluster. */
  severity: string | null;
}

const KIND_RANK: Record<string, number> = { alert: 3, detection: 2, bookmark: 1 };
const SEVERITY_RANK: Record<string, number> = { critical: 3, warning: 2, info: 1 };

/** Markers in the view grouped when closer than `clusterPx` at this zoom, so a busy hour stays readable. */
export function clusterMarkers(
  markers: readonly TimelineMarker[],
  view: Range,
  widthPx: number,
  clusterPx = 8,
): MarkerCluster[] {
  const out: MarkerCluster[] = [];
  const sorted = [...markers].sort((a, b) => a.at_ms - b.at_ms);
  for (const m of sorted) {
    const end = m.end_ms ?? m.at_ms;
    if (end < view.startMs || m.at_ms > view.endMs) continue;
    const px = msToPx(view, widthPx, m.at_ms);
    const endPx = m.end_ms != null && m.end_ms > m.at_ms ? msToPx(view, widthPx, m.end_ms) : null;
    const last = out[out.length - 1];
    const lastMember = last?.markers[last.markers.length - 1];
    if (last && lastMember && px - msToPx(view, widthPx, lastMember.at_ms) < clusterPx) {
      last.markers.push(m);
      if (endPx !== null) last.endPx = Math.max(last.endPx ?? endPx, endPx);
      if ((KIND_RANK[m.kind] ?? 0) > (KIND_RANK[last.kind] ?? 0)) last.kind = m.kind;
      if (m.severity && (SEVERITY_RANK[m.severity] ?? 0) > (SEVERITY_RANK[last.severity ?? ''] ?? 0)) {
        last.severity = m.severity;
      }
      continue;
    }
    out.push({ px, endPx, markers: [m], kind: m.kind, severity: m.severity ?? null });
  }
  // Centre each cluster on its members.
  for (const c of out) {
    const first = c.markers[0];
    const lastM = c.markers[c.markers.length - 1];
    if (first && lastM) c.px = (msToPx(view, widthPx, first.at_ms) + msToPx(view, widthPx, lastM.at_ms)) / 2;
  }
  return out;
}

/** Short name of a marker for tooltips and lists. */
export function markerTitle(m: TimelineMarker): string {
  switch (m.kind) {
    case 'detection':
      return `Detection: ${m.label}`;
    case 'alert':
      return `Alert${m.severity ? ` (${m.severity})` : ''}: ${m.label}`;
    case 'bookmark':
      return `Bookmark: ${m.label || '(no label)'}`;
    default:
      return `${m.kind}: ${m.label}`;
  }
}
