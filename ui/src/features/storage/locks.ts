// Why: "kept" footage as pure functions — which span a Keep action locks for a marker, an alert or a selection, and whether a camera's locks already cover a span.
import type { Lock } from './types';

export interface Span {
  startMs: number;
  endMs: number;
}

/** Footage kept either side of an event or a bookmark, so its lead-up and aftermath survive too. */
export const KEEP_PAD_MS = 30_000;
/** The server's limit on a lock's reason. */
export const REASON_MAX = 200;

/** What a Keep on a moment (and optional end) locks: the moment padded either side, whole seconds. */
export function keepSpan(atMs: number, endMs?: number | null, padMs = KEEP_PAD_MS): Span {
  const end = endMs != null && endMs > atMs ? endMs : atMs;
  return { startMs: Math.floor((atMs - padMs) / 1000) * 1000, endMs: Math.ceil((end + padMs) / 1000) * 1000 };
}

/** A camera's locks merged into disjoint spans, in order. */
export function lockedSpans(locks: readonly Lock[], cameraId: number): Span[] {
  const mine = locks
    .filter((l) => l.camera_id === cameraId && l.end_ms > l.start_ms)
    .map((l) => ({ startMs: l.start_ms, endMs: l.end_ms }))
    .sort((a, b) => a.startMs - b.startMs);
  const out: Span[] = [];
  for (const s of mine) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ ...s });
  }
  return out;
}

/** Whether a camera's locks together cover all of [startMs, endMs] (a moment: the instant itself). */
export function isKept(locks: readonly Lock[], cameraId: number, span: Span): boolean {
  const lo = Math.min(span.startMs, span.endMs);
  const hi = Math.max(span.startMs, span.endMs);
  for (const s of lockedSpans(locks, cameraId)) {
    if (s.startMs <= lo && s.endMs >= hi) return true;
  }
  return false;
}

/** The locks of a camera that overlap a span (the ones that keep some of it). */
export function locksOver(locks: readonly Lock[], cameraId: number, span: Span): Lock[] {
  return locks.filter((l) => l.camera_id === cameraId && l.start_ms < span.endMs && l.end_ms > span.startMs);
}

/** A reason the server accepts: no control characters, at most 200 characters, "Kept" when blank. */
export function cleanReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  const t = reason.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return (t || 'Kept').slice(0, REASON_MAX);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Epoch ms as a `datetime-local` input's value, to the second, in local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` +
    `T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** A `datetime-local` value (`2025-06-01T10:00` or with seconds) in local time as epoch ms; null when invalid. */
export function fromLocalInput(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(y, mo - 1, d, h, mi, sec);
  // Refuse dates that rolled over (Feb 30 → Mar 2).
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}

/** Values of the Storage page's "keep a span" form. */
export interface SpanFormValues {
  cameraId: string;
  start: string;
  end: string;
  reason: string;
}

/** Errors keyed like the API's (`camera_id`, `start`, `end`, `reason`), or the body to send. */
export function checkSpanForm(
  v: SpanFormValues,
): { ok: true; body: { camera_id: number; start: number; end: number; reason: string } } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const cam = Number(v.cameraId);
  if (!v.cameraId || !Number.isInteger(cam) || cam <= 0) errors.camera_id = 'choose a camera';
  const start = fromLocalInput(v.start);
  const end = fromLocalInput(v.end);
  if (start === null) errors.start = 'is required: a date and time';
  if (end === null) errors.end = 'is required: a date and time';
  else if (start !== null && end <= start) errors.end = 'must be after the start';
  if (Object.keys(errors).length || start === null || end === null) return { ok: false, errors };
  return { ok: true, body: { camera_id: cam, start, end, reason: cleanReason(v.reason) } };
}
