// Why: the alert list's logic as pure functions — filters ⇄ queries, live `alert`/`alert:acknowledged`/`alert:updated` events and acknowledgements applied to a cached list, sound and timeline rules.
import type { Alert, AlertKind, AlertList, AlertQuery, AlertSeverity, VigilEvent } from '../../api/types';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../../api/types';

/** What the filter controls hold; empty string means "any". */
export interface AlertFilter {
  severity: AlertSeverity | '';
  type: AlertKind | '';
  cameraId: number | null;
  /** `open` = unacknowledged only. */
  state: 'all' | 'open' | 'acknowledged';
  /** Incidents with an object of this label; '' any. */
  label: string;
  /** When: a span back from now, or `custom` between `from` and `to` (datetime-local values). */
  range: TimeRange;
  from: string;
  to: string;
}

export type TimeRange = 'any' | '1h' | '24h' | '7d' | 'custom';
export const TIME_RANGES: readonly { value: TimeRange; label: string; ms?: number }[] = [
  { value: 'any', label: 'Any time' },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'custom', label: 'Between…' },
];

/** Labels offered by the label filters before any incident has shown others (COCO's usual ones). */
export const COMMON_LABELS = ['person', 'car', 'truck', 'bus', 'bicycle', 'motorcycle', 'dog', 'cat'] as const;

/** The common labels and any other seen in `alerts`, sorted. */
export function labelOptions(alerts: readonly Alert[]): string[] {
  const all = new Set<string>(COMMON_LABELS);
  for (const a of alerts) for (const l of Object.keys(a.labels ?? {})) all.add(l);
  return [...all].sort();
}

/** A datetime-local value ("2026-12-04T09:30") as epoch ms in the browser's zone; null when empty or bad. */
export function localInputMs(v: string): number | null {
  if (!v) return null;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** `since`/`until` (epoch ms as text) for a time range; `now` for the spans back from now. */
export function rangeToQuery(range: TimeRange, from: string, to: string, now: number): Pick<AlertQuery, 'since' | 'until'> {
  const out: Pick<AlertQuery, 'since' | 'until'> = {};
  if (range === 'custom') {
    const f = localInputMs(from);
    const t = localInputMs(to);
    if (f !== null) out.since = String(f);
    // The field has minute precision: "to 10:30" takes in 10:30 itself.
    if (t !== null) out.until = String(t + 60_000);
    return out;
  }
  const span = TIME_RANGES.find((r) => r.value === range)?.ms;
  if (span !== undefined) out.since = String(now - span);
  return out;
}

/** Criticals still going on and not acknowledged: pinned above everything else (a camera offline
 * must never sink under a stream of detections). */
export const PINNED_QUERY: AlertQuery = { severity: 'critical', resolved: false, acknowledged: false, limit: 50 };

export const NO_FILTER: AlertFilter = { severity: '', type: '', cameraId: null, state: 'all', label: '', range: 'any', from: '', to: '' };
export const ALERT_LIMIT = 100;

export function filterToQuery(f: AlertFilter, limit = ALERT_LIMIT, now = Date.now()): AlertQuery {
  const q: AlertQuery = { limit };
  if (f.severity) q.severity = f.severity;
  if (f.type) q.type = f.type;
  if (f.cameraId !== null) q.camera_id = f.cameraId;
  if (f.state !== 'all') q.acknowledged = f.state === 'acknowledged';
  if (f.label) q.label = f.label;
  return { ...q, ...rangeToQuery(f.range, f.from, f.to, now) };
}

/** Whether any filter is set (the empty list then says "match these filters"). */
export function isFiltered(f: AlertFilter): boolean {
  return (
    f.severity !== '' || f.type !== '' || f.cameraId !== null || f.state !== 'all' || f.label !== '' || f.range !== 'any'
  );
}

const instantMs = (s: string): number => (/^-?\d+$/.test(s) ? Number(s) : Date.parse(s));

/** The position a paging cursor (`ms.id`, the server's `next`) names; null when it is not one. */
export function parseCursor(c: string): { ms: number; id: number } | null {
  const m = /^(-?\d+)\.(-?\d+)$/.exec(c);
  return m ? { ms: Number(m[1]), id: Number(m[2]) } : null;
}

/** Whether the server would list `a` for query `q`. */
export function matchesQuery(a: Alert, q: AlertQuery): boolean {
  if (q.severity && a.severity !== q.severity) return false;
  if (q.type && a.type !== q.type) return false;
  if (q.camera_id !== undefined && a.camera_id !== q.camera_id) return false;
  if (q.acknowledged !== undefined && a.acknowledged !== q.acknowledged) return false;
  if (q.resolved !== undefined && Boolean(a.ended_at ?? a.resolved_at) !== q.resolved) return false;
  const created = Date.parse(a.created_at);
  if (q.since !== undefined && created < instantMs(q.since)) return false;
  if (q.until !== undefined && created >= instantMs(q.until)) return false;
  if (q.label !== undefined && !(((a.labels ?? {})[q.label] ?? 0) > 0)) return false;
  if (q.zone !== undefined) {
    const zones: unknown = (a.details as { zones?: unknown } | null)?.zones;
    if (!Array.isArray(zones) || !zones.includes(q.zone)) return false;
  }
  if (q.cursor !== undefined) {
    // A later page holds only what comes after its cursor: older, or as old with a lower id.
    const c = parseCursor(q.cursor);
    if (!c || created > c.ms || (created === c.ms && a.id >= c.id)) return false;
  }
  return true;
}

const newestFirst = (a: Alert, b: Alert) => b.created_at.localeCompare(a.created_at) || b.id - a.id;

/**
 * Put an alert into a list that holds the answer to `q`: added, replaced or removed as it now
 * matches or not. A list with pages after it keeps its length past the limit: the alert it would
 * push out is not on the next page either (that starts after the old cursor) until a refetch.
 */
function place(list: Alert[], a: Alert, q: AlertQuery, morePages = false): Alert[] {
  const rest = list.filter((x) => x.id !== a.id);
  if (!matchesQuery(a, q)) return rest.length === list.length ? list : rest;
  const next = [...rest, a].sort(newestFirst);
  return morePages ? next : next.slice(0, q.limit ?? ALERT_LIMIT);
}

/**
 * An acknowledged alert (our own POST's reply, or someone's `alert:acknowledged`) applied to a cached
 * answer. The count (over all alerts) drops once: when the cached copy flips, or — for an alert this
 * list does not hold — on the event, which the server sends only for the first acknowledgement.
 */
export function applyAcknowledged(data: AlertList, a: Alert, q: AlertQuery, fromEvent: boolean): AlertList {
  const cached = data.alerts.find((x) => x.id === a.id);
  const flips = cached ? !cached.acknowledged : fromEvent;
  if (cached?.acknowledged) return data; // Already known: the first acknowledgement stays.
  const alerts = place(data.alerts, a, q, data.next != null);
  if (!flips && alerts === data.alerts) return data;
  return { ...data, alerts, unacknowledged: flips ? Math.max(0, data.unacknowledged - 1) : data.unacknowledged };
}

/** A new alert applied to a cached answer: listed when it matches, counted when it is open. */
export function applyNew(data: AlertList, a: Alert, q: AlertQuery): AlertList {
  if (data.alerts.some((x) => x.id === a.id)) return data; // Seen already (a refetch brought it).
  return {
    ...data,
    alerts: place(data.alerts, a, q, data.next != null),
    unacknowledged: data.unacknowledged + (a.acknowledged ? 0 : 1),
  };
}

/**
 * An incident that grew or ended, or a condition that cleared (`alert:updated`): the cached copy is
 * replaced where it is listed; one not listed is placed when it matches. The count does not move:
 * an update is no acknowledgement.
 */
export function applyUpdated(data: AlertList, a: Alert, q: AlertQuery): AlertList {
  const cached = data.alerts.find((x) => x.id === a.id);
  // Never undo an acknowledgement the list already shows (events may cross the POST's reply).
  const next = cached?.acknowledged && !a.acknowledged ? { ...a, acknowledged: true, acknowledged_at: cached.acknowledged_at, acknowledged_by: cached.acknowledged_by } : a;
  const alerts = place(data.alerts, next, q, data.next != null);
  return alerts === data.alerts ? data : { ...data, alerts };
}

/** What an events-socket message does to one cached alert list: a new value, `refetch`, or nothing (`null`). */
export function applyAlertEvent(data: AlertList, ev: VigilEvent, q: AlertQuery): AlertList | 'refetch' | null {
  let next: AlertList;
  switch (ev.type) {
    case 'hello':
    case 'events:lagged':
      return 'refetch';
    case 'alert':
      next = applyNew(data, ev.alert, q);
      break;
    case 'alert:acknowledged':
      next = applyAcknowledged(data, ev.alert, q, true);
      break;
    case 'alert:updated':
      next = applyUpdated(data, ev.alert, q);
      break;
    default:
      return null;
  }
  return next === data ? null : next;
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function isSeverity(s: string): s is AlertSeverity {
  return (ALERT_SEVERITIES as readonly string[]).includes(s);
}
export function isKind(s: string): s is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(s);
}

/** New alerts at or above warning beep (when the sound is on). */
export function shouldSound(a: Pick<Alert, 'severity' | 'acknowledged'>, min: AlertSeverity = 'warning'): boolean {
  return !a.acknowledged && isSeverity(a.severity) && SEVERITY_RANK[a.severity] >= SEVERITY_RANK[min];
}

/** Detection alerts are raised once an object has been seen twice: open the timeline a little earlier. */
export const DETECTION_LEAD_MS = 5_000;

/** The instant to open the timeline at for an alert (epoch ms), or null without a camera or time. */
export function timelineTarget(a: Pick<Alert, 'camera_id' | 'created_at' | 'type'>): { cameraId: number; at: number } | null {
  const t = Date.parse(a.created_at);
  if (a.camera_id == null || Number.isNaN(t)) return null;
  return { cameraId: a.camera_id, at: a.type === 'detection' ? t - DETECTION_LEAD_MS : t };
}

/** The picture of a detection alert, when it is an API path: `snapshot_url`, or for alerts stored
 * before the server sent that, `details.snapshot_url`. */
export function snapshotPath(a: Pick<Alert, 'snapshot_url' | 'details'>): string | null {
  const isApiPath = (u: unknown): u is string => typeof u === 'string' && u.startsWith('/api/v1/');
  if (isApiPath(a.snapshot_url)) return a.snapshot_url;
  const old = a.details['snapshot_url'];
  return isApiPath(old) ? old : null;
}

export const KIND_LABELS: Record<AlertKind, string> = {
  camera_offline: 'Camera offline',
  recording_failed: 'Recording failed',
  storage_full: 'Storage full',
  detection: 'Detection',
  detection_unavailable: 'Detection unavailable',
  storage_tier_offline: 'Storage tier offline',
  storage_locked_only: 'Only locked footage left',
  auth_failures: 'Failed sign-ins',
  database_restored: 'Database restored from a backup',
};

/** "2 min 14 s", "3 h 5 min", "12 s": how long something lasted. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** An incident's objects by label, most first: "3 person, 1 car". */
export function labelSummary(labels: Record<string, number>): string {
  return Object.entries(labels)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([l, n]) => `${n} ${l}`)
    .join(', ');
}

/** One line on how an alert stands: an incident going on or over, a condition holding or cleared. */
export function alertSpan(a: Pick<Alert, 'type' | 'created_at' | 'last_at' | 'ended_at' | 'resolved_at'>, now = Date.now()): string | null {
  const start = Date.parse(a.created_at);
  if (Number.isNaN(start)) return null;
  if (a.type === 'detection') {
    if (a.ended_at) return `lasted ${formatDuration(Date.parse(a.ended_at) - start)}`;
    const last = a.last_at ? Date.parse(a.last_at) : start;
    return `going on, ${formatDuration(now - start)} so far; last activity ${formatDuration(now - last)} ago`;
  }
  if (a.resolved_at) return `cleared after ${formatDuration(Date.parse(a.resolved_at) - start)}`;
  return null;
}

/** "just now", "40 s ago", "2 min ago", "3 h ago" for the last day; null beyond (the date says it). */
export function relativeTime(iso: string, now = Date.now()): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return null;
}
