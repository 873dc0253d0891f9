// Why: which day and stretch the scrub bar shows, and when it follows playback — pure, so that the day buttons, the date field and panning stay where the operator put them while the video plays.
//
// The rule (docs/ui.md "Timeline player"): going to another day shows that day and leaves playback
// alone — the video goes on where it was until the operator clicks, or seeks, on the new day (as
// in an NVR's playback window, browsing the calendar does not cut off what is playing). The view
// follows the playhead only while the playhead is in sight: a day without it, or a pan or zoom
// that leaves it out, stops the following; a seek, "Back to playback", or playback walking into the
// view starts it again. While following, playing past midnight turns to the next day.
import { DAY, centerOn, dayKey, dayRange, followPlayhead, spanOf } from './timeMath';
import type { Range } from './timeMath';

export interface DayView {
  /** `YYYY-MM-DD`, local. */
  day: string;
  /** The day as a range (23–25 h): how far the view may pan and zoom out. */
  bounds: Range;
  view: Range;
  /** Whether the view moves along with the playhead while playing. */
  following: boolean;
}

/** The whole of day `key`, following playback. */
export function atDay(key: string): DayView {
  const bounds = dayRange(key);
  return { day: key, bounds, view: bounds, following: true };
}

const inside = (r: Range, ms: number) => ms >= r.startMs && ms < r.endMs;

/** In the middle 90 % of the view, where following leaves the view alone (see followPlayhead). */
function inMiddle(view: Range, ms: number): boolean {
  const margin = spanOf(view) * 0.05;
  return ms >= view.startMs + margin && ms <= view.endMs - margin;
}

/**
 * The operator picked day `key` (‹ ›, the date field, Today): all of that day. Playback is not
 * touched; the view follows it only if the playhead is on that day.
 */
export function showDay(s: DayView, key: string, playheadMs: number | null): DayView {
  if (key === s.day) return s;
  const bounds = dayRange(key);
  return { day: key, bounds, view: bounds, following: playheadMs !== null && inside(bounds, playheadMs) };
}

/**
 * The operator panned or zoomed: keep following only while the playhead stays well inside the view
 * (near an edge a page turn would fight a drag), or anywhere in a view of the whole day (nothing
 * to turn there but the day at midnight).
 */
export function userView(s: DayView, view: Range, playheadMs: number | null): DayView {
  const wholeDay = view.startMs <= s.bounds.startMs && view.endMs >= s.bounds.endMs;
  const following = playheadMs === null || inMiddle(view, playheadMs) || (wholeDay && inside(view, playheadMs));
  if (view.startMs === s.view.startMs && view.endMs === s.view.endMs && following === s.following) return s;
  return { ...s, view, following };
}

/**
 * A seek (a click, an event, the address, "Back to playback"): show `ms` — on its own day, inside
 * the view (centred and at most `zoomTo` wide when given) — and follow it again.
 */
export function reveal(s: DayView, ms: number, zoomTo?: number): DayView {
  const key = dayKey(ms);
  const sameDay = key === s.day;
  const bounds = sameDay ? s.bounds : dayRange(key);
  const span = Math.min(spanOf(s.view), DAY);
  let view: Range;
  if (zoomTo !== undefined) view = centerOn(ms, Math.min(span, zoomTo), bounds);
  else if (!sameDay) view = followPlayhead({ startMs: bounds.startMs, endMs: bounds.startMs + span }, ms, bounds);
  else view = followPlayhead(s.view, ms, bounds);
  if (sameDay && view === s.view && s.following) return s;
  return { day: key, bounds, view, following: true };
}

/**
 * One step of playback at `ms`: turn the page (or the day, at midnight) while following; when not
 * following, start again once the playhead has walked into the middle of the view. The same
 * object when nothing changes.
 */
export function followPlayback(s: DayView, ms: number): DayView {
  if (!s.following) {
    return inside(s.bounds, ms) && inMiddle(s.view, ms) ? { ...s, following: true } : s;
  }
  if (!inside(s.bounds, ms)) return reveal(s, ms);
  const view = followPlayhead(s.view, ms, s.bounds);
  return view === s.view ? s : { ...s, view };
}

/** Whether the playhead is off screen (another day, or panned away): offer "Back to playback". */
export function playheadHidden(s: DayView, playheadMs: number | null): boolean {
  return playheadMs !== null && !inside(s.view, playheadMs);
}
