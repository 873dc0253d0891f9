// Why: proves the scrub bar's maths — pixel mapping, zoom anchored at the cursor, clamping to the day, ticks in local time, span rectangles, snapping and days across DST.
import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  centerOn,
  clampView,
  clockLabel,
  dayKey,
  dayRange,
  followPlayhead,
  formatDuration,
  msToPx,
  nextZoomLevel,
  panView,
  parseDayKey,
  preciseLabel,
  pxToMs,
  shiftDay,
  snapTime,
  spanOf,
  spanRects,
  tickStep,
  ticks,
  wheelZoomFactor,
  zoomToSpan,
  zoomView,
} from './timeMath';
import type { OffsetFn, Range } from './timeMath';

const utc: OffsetFn = () => 0;
const T0 = Date.UTC(2025, 2, 10); // 2025-03-10 00:00 UTC
const day: Range = { startMs: T0, endMs: T0 + DAY };

describe('ms ⇄ px', () => {
  it('maps the view onto the width and back', () => {
    expect(msToPx(day, 1200, T0)).toBe(0);
    expect(msToPx(day, 1200, T0 + 12 * HOUR)).toBe(600);
    expect(msToPx(day, 1200, T0 + DAY)).toBe(1200);
    expect(pxToMs(day, 1200, 300)).toBe(T0 + 6 * HOUR);
    for (const px of [0, 1, 333.3, 1199]) expect(msToPx(day, 1200, pxToMs(day, 1200, px))).toBeCloseTo(px, 6);
  });

  it('does not divide by zero', () => {
    expect(msToPx({ startMs: 5, endMs: 5 }, 100, 7)).toBe(0);
    expect(pxToMs(day, 0, 50)).toBe(T0);
  });
});

describe('zoom and pan', () => {
  it('keeps the anchor under the same pixel', () => {
    const anchor = T0 + 6 * HOUR;
    const before = msToPx(day, 1000, anchor);
    const z = zoomView(day, 0.25, anchor, day);
    expect(spanOf(z)).toBe(6 * HOUR);
    expect(msToPx(z, 1000, anchor)).toBeCloseTo(before, 6);
  });

  it('stops at one minute and at the whole day, and stays inside the day', () => {
    let v = day;
    for (let i = 0; i < 50; i++) v = zoomView(v, 0.5, T0 + 100, day);
    expect(spanOf(v)).toBe(MINUTE);
    expect(v.startMs).toBeGreaterThanOrEqual(T0);
    expect(v.startMs).toBeLessThanOrEqual(T0 + 100);
    for (let i = 0; i < 50; i++) v = zoomView(v, 2, T0 + 100, day);
    expect(v).toEqual(day);
  });

  it('zooms near an edge without leaving the day', () => {
    const v = zoomView({ startMs: T0 + 23 * HOUR, endMs: T0 + DAY }, 3, T0 + DAY - MINUTE, day);
    expect(spanOf(v)).toBe(3 * HOUR);
    expect(v.endMs).toBe(T0 + DAY);
  });

  it('steps through the button levels', () => {
    expect(nextZoomLevel(DAY, 'in')).toBe(12 * HOUR);
    expect(nextZoomLevel(7 * HOUR, 'in')).toBe(6 * HOUR);
    expect(nextZoomLevel(MINUTE, 'in')).toBe(MINUTE);
    expect(nextZoomLevel(MINUTE, 'out')).toBe(2 * MINUTE);
    expect(nextZoomLevel(DAY, 'out')).toBe(DAY);
    const v = zoomToSpan(day, HOUR, T0 + 12 * HOUR, day);
    expect(v).toEqual({ startMs: T0 + 11.5 * HOUR, endMs: T0 + 12.5 * HOUR });
  });

  it('turns wheel deltas into gentle factors in both directions', () => {
    expect(wheelZoomFactor(100)).toBeGreaterThan(1.2);
    expect(wheelZoomFactor(100)).toBeLessThan(1.3);
    expect(wheelZoomFactor(-100)).toBeCloseTo(1 / wheelZoomFactor(100), 9);
    expect(wheelZoomFactor(3, 1)).toBeCloseTo(wheelZoomFactor(99), 9);
    expect(wheelZoomFactor(100_000)).toBe(wheelZoomFactor(400));
  });

  it('pans and clamps', () => {
    const v = { startMs: T0 + HOUR, endMs: T0 + 2 * HOUR };
    expect(panView(v, 30 * MINUTE, day)).toEqual({ startMs: T0 + 1.5 * HOUR, endMs: T0 + 2.5 * HOUR });
    expect(panView(v, -5 * HOUR, day)).toEqual({ startMs: T0, endMs: T0 + HOUR });
    expect(clampView({ startMs: T0 - DAY, endMs: T0 + 2 * DAY }, day)).toEqual(day);
  });

  it('centres a view on an instant, inside the day', () => {
    expect(centerOn(T0 + 12 * HOUR, HOUR, day)).toEqual({ startMs: T0 + 11.5 * HOUR, endMs: T0 + 12.5 * HOUR });
    expect(centerOn(T0 + 10 * MINUTE, HOUR, day)).toEqual({ startMs: T0, endMs: T0 + HOUR });
  });

  it('turns the page when the playhead leaves the view', () => {
    const v = { startMs: T0, endMs: T0 + HOUR };
    expect(followPlayhead(v, T0 + 30 * MINUTE, day)).toBe(v);
    const next = followPlayhead(v, T0 + 59 * MINUTE, day);
    expect(next).toEqual({ startMs: T0 + 53 * MINUTE, endMs: T0 + 113 * MINUTE });
    // At the end of the day the view cannot move further.
    const late = { startMs: T0 + DAY - HOUR, endMs: T0 + DAY };
    expect(followPlayhead(late, T0 + DAY - 10, day)).toBe(late);
  });
});

describe('ticks', () => {
  it('picks a step that leaves room for labels', () => {
    expect(tickStep(DAY, 1200, 64)).toBe(2 * HOUR);
    expect(tickStep(HOUR, 1200, 64)).toBe(5 * MINUTE);
    expect(tickStep(MINUTE, 1200, 64)).toBe(5 * SECOND);
    expect(tickStep(DAY, 100, 64)).toBe(12 * HOUR);
  });

  it('labels local times aligned to local midnight', () => {
    const t = ticks(day, 1200, utc);
    expect(t.step).toBe(2 * HOUR);
    expect(t.major.map((x) => x.label)).toEqual([
      '00:00', '02:00', '04:00', '06:00', '08:00', '10:00', '12:00', '14:00', '16:00', '18:00', '20:00', '22:00', '00:00',
    ]);
    expect(t.major[1]?.px).toBe(100);
    expect(t.minor.length).toBe(12);
    // UTC+5:30: a 2 h step still falls on local even hours.
    const india: OffsetFn = () => 5.5 * HOUR;
    const local = ticks({ startMs: T0, endMs: T0 + DAY }, 1200, india);
    expect(local.major[0]?.label).toBe('06:00');
    expect(local.major[0]?.ms).toBe(T0 + 0.5 * HOUR);
  });

  it('shows seconds when zoomed to a minute', () => {
    const v = { startMs: T0 + 10 * HOUR + 7 * SECOND, endMs: T0 + 10 * HOUR + MINUTE + 7 * SECOND };
    const t = ticks(v, 1200, utc);
    expect(t.step).toBe(5 * SECOND);
    expect(t.major[0]?.label).toBe('10:00:10');
    expect(t.major.every((x) => x.px >= 0 && x.px <= 1200)).toBe(true);
  });

  it('formats clocks', () => {
    expect(clockLabel(T0 + 13 * HOUR + 5 * MINUTE + 9 * SECOND, false, utc)).toBe('13:05');
    expect(clockLabel(T0 + 13 * HOUR + 5 * MINUTE + 9 * SECOND, true, utc)).toBe('13:05:09');
    expect(preciseLabel(T0 + 1234, utc)).toBe('00:00:01.234');
    expect(formatDuration(DAY)).toBe('24 h');
    expect(formatDuration(90 * SECOND)).toBe('1 min 30 s');
    expect(formatDuration(MINUTE)).toBe('1 min');
    expect(formatDuration(90 * MINUTE)).toBe('1 h 30 min');
  });
});

describe('spanRects', () => {
  const view = { startMs: T0, endMs: T0 + HOUR };
  it('clips to the view and keeps tiny spans visible', () => {
    const r = spanRects(
      [
        { startMs: T0 - HOUR, endMs: T0 + 15 * MINUTE },
        { startMs: T0 + 30 * MINUTE, endMs: T0 + 30 * MINUTE + 100 },
        { startMs: T0 + 2 * HOUR, endMs: T0 + 3 * HOUR },
      ],
      view,
      600,
    );
    expect(r).toEqual([
      { left: 0, width: 150 },
      { left: 300, width: 1 },
    ]);
  });

  it('merges spans that touch at this zoom', () => {
    const r = spanRects(
      [
        { startMs: T0 + 10 * MINUTE + 1000, endMs: T0 + 20 * MINUTE },
        { startMs: T0, endMs: T0 + 10 * MINUTE },
      ],
      view,
      600,
    );
    expect(r).toEqual([{ left: 0, width: 200 }]);
  });
});

describe('snapTime', () => {
  it('snaps to the nearest candidate within a few pixels only', () => {
    const view = { startMs: T0, endMs: T0 + HOUR };
    // 600 px per hour: 6 px = 36 s.
    expect(snapTime(T0 + 10 * MINUTE, [T0 + 10 * MINUTE + 30 * SECOND, T0 + 10 * MINUTE - 20 * SECOND], view, 600)).toBe(
      T0 + 10 * MINUTE - 20 * SECOND,
    );
    expect(snapTime(T0 + 10 * MINUTE, [T0 + 11 * MINUTE], view, 600)).toBe(T0 + 10 * MINUTE);
  });
});

describe('days', () => {
  it('round-trips keys and ranges in a fixed zone', () => {
    const plus2: OffsetFn = () => 2 * HOUR;
    expect(dayRange('2025-03-10', plus2)).toEqual({ startMs: T0 - 2 * HOUR, endMs: T0 + DAY - 2 * HOUR });
    expect(dayKey(T0 - 2 * HOUR, plus2)).toBe('2025-03-10');
    expect(dayKey(T0 - 2 * HOUR - 1, plus2)).toBe('2025-03-09');
    expect(shiftDay('2025-02-28', 1)).toBe('2025-03-01');
    expect(shiftDay('2025-01-01', -1)).toBe('2024-12-31');
    expect(parseDayKey('2025-02-30')).toBeNull();
    expect(() => dayRange('nope')).toThrow();
  });

  it('gives a 23-hour day when the clocks go forward', () => {
    // Central Europe: UTC+1, UTC+2 from 2025-03-30 01:00 UTC.
    const switchAt = Date.UTC(2025, 2, 30, 1);
    const cet: OffsetFn = (ms) => (ms >= switchAt ? 2 : 1) * HOUR;
    const r = dayRange('2025-03-30', cet);
    expect(r.startMs).toBe(Date.UTC(2025, 2, 29, 23));
    expect(r.endMs).toBe(Date.UTC(2025, 2, 30, 22));
    expect(spanOf(r)).toBe(23 * HOUR);
    expect(dayKey(r.endMs - 1, cet)).toBe('2025-03-30');
    expect(dayKey(r.endMs, cet)).toBe('2025-03-31');
  });
});
