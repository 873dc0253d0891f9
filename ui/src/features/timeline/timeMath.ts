// Why: the scrub bar's time maths in one pure module — ms ⇄ pixels at a zoom, anchored zoom, panning, ticks and labels, span rectangles, snapping and days.

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The narrowest and widest view of the scrub bar. */
export const MIN_SPAN_MS = MINUTE;
export const MAX_SPAN_MS = DAY;

/** A half-open stretch of wall time, epoch ms. */
export interface Range {
  startMs: number;
  endMs: number;
}

export const spanOf = (r: Range): number => r.endMs - r.startMs;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Where `ms` falls on a bar `widthPx` wide showing `view` (may be outside 0..width). */
export function msToPx(view: Range, widthPx: number, ms: number): number {
  const span = spanOf(view);
  if (span <= 0 || widthPx <= 0) return 0;
  return ((ms - view.startMs) / span) * widthPx;
}

/** The instant under pixel `px` of a bar `widthPx` wide showing `view`. */
export function pxToMs(view: Range, widthPx: number, px: number): number {
  if (widthPx <= 0) return view.startMs;
  return view.startMs + (px / widthPx) * spanOf(view);
}

/** Keep a view inside `bounds` (moving, not shrinking it, unless it is wider than the bounds). */
export function clampView(view: Range, bounds: Range): Range {
  const span = Math.min(spanOf(view), spanOf(bounds));
  const start = clamp(view.startMs, bounds.startMs, bounds.endMs - span);
  return { startMs: start, endMs: start + span };
}

/**
 * Zoom by `factor` (< 1 zooms in) keeping `anchorMs` under the same pixel — the cursor for the
 * wheel, the playhead for the buttons. The span stays between `minSpan` and `maxSpan`, the view
 * inside `bounds`.
 */
export function zoomView(
  view: Range,
  factor: number,
  anchorMs: number,
  bounds: Range,
  minSpan = MIN_SPAN_MS,
  maxSpan = MAX_SPAN_MS,
): Range {
  const span = spanOf(view);
  const next = clamp(span * factor, minSpan, Math.min(maxSpan, spanOf(bounds)));
  const anchor = clamp(anchorMs, view.startMs, view.endMs);
  const frac = span > 0 ? (anchor - view.startMs) / span : 0.5;
  const start = anchor - frac * next;
  return clampView({ startMs: start, endMs: start + next }, bounds);
}

/** Set the span exactly (a zoom button's level), anchored like {@link zoomView}. */
export function zoomToSpan(view: Range, spanMs: number, anchorMs: number, bounds: Range): Range {
  const span = spanOf(view);
  return zoomView(view, span > 0 ? spanMs / span : 1, anchorMs, bounds);
}

/** The zoom buttons' levels, widest first. */
export const ZOOM_LEVELS: readonly number[] = [
  DAY,
  12 * HOUR,
  6 * HOUR,
  3 * HOUR,
  HOUR,
  30 * MINUTE,
  15 * MINUTE,
  5 * MINUTE,
  2 * MINUTE,
  MINUTE,
];

/** The next level in (narrower) or out (wider) from the current span; the same span at either end. */
export function nextZoomLevel(spanMs: number, dir: 'in' | 'out'): number {
  const eps = 1;
  if (dir === 'in') {
    for (const l of ZOOM_LEVELS) if (l < spanMs - eps) return l;
    return ZOOM_LEVELS[ZOOM_LEVELS.length - 1] ?? MIN_SPAN_MS;
  }
  for (let i = ZOOM_LEVELS.length - 1; i >= 0; i--) {
    const l = ZOOM_LEVELS[i];
    if (l !== undefined && l > spanMs + eps) return l;
  }
  return ZOOM_LEVELS[0] ?? MAX_SPAN_MS;
}

/** Zoom factor for one wheel event: a notch (~100 px) zooms by about 1.25×. */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(clamp(px, -400, 400) * 0.00223);
}

/** Move the view by `deltaMs`, staying inside `bounds`. */
export function panView(view: Range, deltaMs: number, bounds: Range): Range {
  return clampView({ startMs: view.startMs + deltaMs, endMs: view.endMs + deltaMs }, bounds);
}

/**
 * Keep the playhead in sight while playing: when it leaves the middle 90 % of the view, turn the
 * page so it sits 10 % from the left. Returns the same object when nothing has to move.
 */
export function followPlayhead(view: Range, ms: number, bounds: Range): Range {
  const span = spanOf(view);
  if (ms >= view.startMs + span * 0.05 && ms <= view.endMs - span * 0.05) return view;
  const start = ms - span * 0.1;
  const next = clampView({ startMs: start, endMs: start + span }, bounds);
  return next.startMs === view.startMs && next.endMs === view.endMs ? view : next;
}

/** A view `spanMs` wide centred on `ms` (moved, not shrunk, to stay inside `bounds`). */
export function centerOn(ms: number, spanMs: number, bounds: Range): Range {
  return clampView({ startMs: ms - spanMs / 2, endMs: ms + spanMs / 2 }, bounds);
}

/** Tick intervals, finest first. */
export const TICK_STEPS: readonly number[] = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
];

/** The finest step whose labelled ticks are at least `minPx` apart. */
export function tickStep(spanMs: number, widthPx: number, minPx = 64): number {
  if (widthPx <= 0 || spanMs <= 0) return TICK_STEPS[TICK_STEPS.length - 1] ?? 12 * HOUR;
  for (const s of TICK_STEPS) if ((s / spanMs) * widthPx >= minPx) return s;
  return TICK_STEPS[TICK_STEPS.length - 1] ?? 12 * HOUR;
}

/** Local time minus UTC at an instant, in ms (+3 600 000 for UTC+1). */
export type OffsetFn = (ms: number) => number;
export const localOffset: OffsetFn = (ms) => -new Date(ms).getTimezoneOffset() * MINUTE;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Wall-clock label: HH:MM, or HH:MM:SS when `withSeconds`. */
export function clockLabel(ms: number, withSeconds: boolean, offset: OffsetFn = localOffset): string {
  const d = new Date(ms + offset(ms));
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad2(d.getUTCSeconds())}` : hm;
}

/** HH:MM:SS.mmm, for the player's clock. */
export function preciseLabel(ms: number, offset: OffsetFn = localOffset): string {
  const d = new Date(ms + offset(ms));
  return `${clockLabel(ms, true, offset)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

export interface Tick {
  ms: number;
  px: number;
  label: string;
}

export interface TickSet {
  step: number;
  major: Tick[];
  /** Pixel positions of the unlabelled ticks between the major ones. */
  minor: number[];
}

/** How many minor ticks split a major step. */
function minorDivisions(step: number): number {
  const base = step >= HOUR ? step / HOUR : step >= MINUTE ? step / MINUTE : step / SECOND;
  if (base === 1 || base === 2 || base === 10 || base === 30) return base === 30 ? 3 : base === 10 ? 5 : 2;
  if (base === 3 || base === 6 || base === 12) return 3;
  if (base === 5 || base === 15) return 5;
  return 2;
}

/** Multiples of `step` in local time inside the view (aligned to local midnight, not UTC). */
function alignedTimes(view: Range, step: number, offset: OffsetFn): number[] {
  const out: number[] = [];
  const off = offset(view.startMs);
  let t = Math.ceil((view.startMs + off) / step) * step - off;
  // DST changes inside a day move local labels by an hour; good enough for a scrub bar.
  for (let i = 0; t <= view.endMs && i < 10_000; i++, t += step) out.push(t);
  return out;
}

/** Labelled ticks at a readable spacing plus minor ticks between them. */
export function ticks(view: Range, widthPx: number, offset: OffsetFn = localOffset, minPx = 64): TickSet {
  const step = tickStep(spanOf(view), widthPx, minPx);
  const withSeconds = step < MINUTE;
  const major = alignedTimes(view, step, offset).map((ms) => ({
    ms,
    px: msToPx(view, widthPx, ms),
    label: clockLabel(ms, withSeconds, offset),
  }));
  const sub = step / minorDivisions(step);
  const majorSet = new Set(major.map((t) => t.ms));
  const minor = alignedTimes(view, sub, offset)
    .filter((ms) => !majorSet.has(ms))
    .map((ms) => msToPx(view, widthPx, ms));
  return { step, major, minor };
}

export interface Rect {
  left: number;
  width: number;
}

/**
 * Pixel rectangles of `spans` on the bar, clipped to the view, at least `minPx` wide (so a short
 * span stays visible when zoomed out), with rectangles that touch at this zoom merged.
 */
export function spanRects(spans: readonly Range[], view: Range, widthPx: number, minPx = 1): Rect[] {
  const out: Rect[] = [];
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  for (const s of sorted) {
    if (s.endMs <= view.startMs || s.startMs >= view.endMs) continue;
    const l = clamp(msToPx(view, widthPx, s.startMs), 0, widthPx);
    const r = clamp(msToPx(view, widthPx, s.endMs), 0, widthPx);
    let left = l;
    let width = Math.max(r - l, minPx);
    if (left + width > widthPx) left = Math.max(0, widthPx - width);
    const last = out[out.length - 1];
    if (last && left <= last.left + last.width + 0.5) {
      last.width = Math.max(last.width, left + width - last.left);
      continue;
    }
    out.push({ left, width });
  }
  return out;
}

/** The candidate nearest to `ms` if it is within `snapPx` on screen, else `ms` itself. */
export function snapTime(ms: number, candidates: readonly number[], view: Range, widthPx: number, snapPx = 6): number {
  const tol = (snapPx / Math.max(1, widthPx)) * spanOf(view);
  let best = ms;
  let bestD = tol;
  for (const c of candidates) {
    const d = Math.abs(c - ms);
    if (d <= bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** `YYYY-MM-DD` of an instant in local time (what `<input type="date">` holds). */
export function dayKey(ms: number, offset: OffsetFn = localOffset): string {
  const d = new Date(ms + offset(ms));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Parse `YYYY-MM-DD`; null when it is not a real date. */
export function parseDayKey(key: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

/** Local midnight of `y-m-d` as epoch ms (the offset is found at that instant, so DST days work). */
function localMidnight(y: number, m: number, d: number, offset: OffsetFn): number {
  const utc = Date.UTC(y, m - 1, d);
  // Two rounds settle the offset in force at local midnight, also on DST change days.
  let t = utc - offset(utc);
  t = utc - offset(t);
  return t;
}

/** The local day `key` as a range (23, 24 or 25 hours long). */
export function dayRange(key: string, offset: OffsetFn = localOffset): Range {
  const p = parseDayKey(key);
  if (!p) throw new Error(`not a day: ${key}`);
  return { startMs: localMidnight(p.y, p.m, p.d, offset), endMs: localMidnight(p.y, p.m, p.d + 1, offset) };
}

/** The day `n` days after `key`. */
export function shiftDay(key: string, n: number): string {
  const p = parseDayKey(key);
  if (!p) throw new Error(`not a day: ${key}`);
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d + n));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Human duration for labels: 90 000 → "1 min 30 s", 3 600 000 → "1 h". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', sec && !h ? `${sec} s` : ''].filter(Boolean);
  return parts.join(' ');
}
