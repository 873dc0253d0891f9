// Why: what "no recording" means on the scrub bar and in an export — a gap only between the camera's first footage and now (before it: no footage yet; after now: the future), and how much footage a range really holds.
import { formatDuration, spanOf } from './timeMath';
import type { Range } from './timeMath';

/**
 * Where a camera's footage begins, as the scrub bar should believe it: the timeline's
 * `first_footage_ms` when the server sent one (null: it has none at all), else — an older server
 * without the field — the camera's creation, else nothing known (every gap is painted as sent).
 */
export function footageStart(firstFootageMs: number | null | undefined, cameraCreatedMs: number | null): number | null {
  if (firstFootageMs !== undefined) return firstFootageMs ?? Number.POSITIVE_INFINITY;
  return cameraCreatedMs ?? null;
}

export interface EmptyPaint {
  /** Real gaps: nothing recorded between the first footage and now. */
  gaps: Range[];
  /** Before the camera's first footage (inside `window`, never past now): neutral, not a gap. */
  before: Range | null;
}

/**
 * Split what the timeline reports as gaps into real gaps and "no footage yet". `start` is from
 * {@link footageStart} (null: unknown, +Infinity: the camera has no footage at all). Gaps are kept
 * only between `start` and `nowMs`; after now is the future, which the bar paints on its own.
 */
export function paintEmpty(gaps: readonly Range[], window: Range, start: number | null, nowMs: number): EmptyPaint {
  const from = start ?? Number.NEGATIVE_INFINITY;
  const out: Range[] = [];
  for (const g of gaps) {
    const s = Math.max(g.startMs, from);
    const e = Math.min(g.endMs, nowMs);
    if (e > s) out.push({ startMs: s, endMs: e });
  }
  const beforeEnd = Math.min(from, nowMs, window.endMs);
  const before = beforeEnd > window.startMs ? { startMs: window.startMs, endMs: beforeEnd } : null;
  return { gaps: out, before };
}

/** Milliseconds of `spans` inside `r` (overlapping spans counted once). */
export function footageIn(spans: readonly Range[], r: Range): number {
  const clipped = spans
    .map((s) => ({ startMs: Math.max(s.startMs, r.startMs), endMs: Math.min(s.endMs, r.endMs) }))
    .filter((s) => s.endMs > s.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let cursor = Number.NEGATIVE_INFINITY;
  for (const s of clipped) {
    const from = Math.max(s.startMs, cursor);
    if (s.endMs > from) total += s.endMs - from;
    cursor = Math.max(cursor, s.endMs);
  }
  return total;
}

/** Whether the span holding `ms` is in `spans`: recorded, not, or unknown (`ms` at or after `knownUntilMs`, which the spans cannot speak for yet). */
export function footageAt(spans: readonly Range[], ms: number, knownUntilMs = Number.POSITIVE_INFINITY): 'yes' | 'no' | 'unknown' {
  if (spans.some((s) => ms >= s.startMs && ms < s.endMs)) return 'yes';
  return ms >= knownUntilMs ? 'unknown' : 'no';
}

export interface FootageCheck {
  selectedMs: number;
  footageMs: number;
  /** Less footage than selected beyond the tolerance: worth a word before exporting. */
  short: boolean;
}

/**
 * How much of `selection` was recorded. Shortfalls up to max(2 s, 1 %) are not worth a warning
 * (segment joins, a fragment not yet indexed at the live edge).
 */
export function checkFootage(spans: readonly Range[], selection: Range): FootageCheck {
  const selectedMs = Math.max(0, spanOf(selection));
  const footageMs = footageIn(spans, selection);
  const tolerance = Math.max(2_000, selectedMs * 0.01);
  return { selectedMs, footageMs, short: selectedMs - footageMs > tolerance };
}

/** "The range holds 3 min 10 s of footage out of 5 min selected". */
export function footageText(c: FootageCheck): string {
  if (c.footageMs <= 0) return `Nothing was recorded in the ${formatDuration(c.selectedMs)} selected`;
  return `The range holds ${formatDuration(c.footageMs)} of footage out of ${formatDuration(c.selectedMs)} selected`;
}
