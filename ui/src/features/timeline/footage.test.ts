// Why: proves the scrub bar paints a gap only between the camera's first footage and now (neutral before it, nothing after now) and that a range's footage is counted once and warned about only beyond the tolerance.
import { describe, expect, it } from 'vitest';
import { checkFootage, footageAt, footageIn, footageStart, footageText, paintEmpty } from './footage';
import { MINUTE } from './timeMath';

const r = (startMs: number, endMs: number) => ({ startMs, endMs });
const day = r(0, 24 * 60 * MINUTE);

describe('footageStart', () => {
  it('takes the server value, null meaning no footage at all', () => {
    expect(footageStart(5_000, 1_000)).toBe(5_000);
    expect(footageStart(null, 1_000)).toBe(Number.POSITIVE_INFINITY);
  });
  it('falls back to the camera creation when the server does not say', () => {
    expect(footageStart(undefined, 1_000)).toBe(1_000);
    expect(footageStart(undefined, null)).toBeNull();
  });
});

describe('paintEmpty', () => {
  const now = 20 * 60 * MINUTE;
  it('paints the time before the first footage as neutral, not as a gap', () => {
    // The server reports the whole morning as a gap; the camera started recording at 10:00.
    const gaps = [r(0, 10 * 60 * MINUTE), r(12 * 60 * MINUTE, 13 * 60 * MINUTE), r(19 * 60 * MINUTE, now)];
    const p = paintEmpty(gaps, day, 10 * 60 * MINUTE, now);
    expect(p.before).toEqual(r(0, 10 * 60 * MINUTE));
    expect(p.gaps).toEqual([r(12 * 60 * MINUTE, 13 * 60 * MINUTE), r(19 * 60 * MINUTE, now)]);
  });
  it('cuts a gap that straddles the first footage', () => {
    const p = paintEmpty([r(0, 11 * 60 * MINUTE)], day, 10 * 60 * MINUTE, now);
    expect(p.gaps).toEqual([r(10 * 60 * MINUTE, 11 * 60 * MINUTE)]);
  });
  it('a day before the camera existed has no gap at all', () => {
    const p = paintEmpty([day], day, day.endMs + 3 * 60 * MINUTE, day.endMs + 10 * 60 * MINUTE);
    expect(p.gaps).toEqual([]);
    expect(p.before).toEqual(day);
  });
  it('a camera with no footage: nothing is a gap, up to now', () => {
    const p = paintEmpty([r(0, now)], day, Number.POSITIVE_INFINITY, now);
    expect(p.gaps).toEqual([]);
    expect(p.before).toEqual(r(0, now));
  });
  it('nothing after now is a gap', () => {
    const p = paintEmpty([r(19 * 60 * MINUTE, day.endMs)], day, 0, now);
    expect(p.gaps).toEqual([r(19 * 60 * MINUTE, now)]);
    expect(p.before).toBeNull();
  });
  it('with the start unknown every gap stays', () => {
    const gaps = [r(0, 10 * 60 * MINUTE)];
    expect(paintEmpty(gaps, day, null, now)).toEqual({ gaps, before: null });
  });
});

describe('footageIn and checkFootage', () => {
  it('counts recorded time inside the range once', () => {
    const spans = [r(0, 60_000), r(30_000, 90_000), r(200_000, 260_000)];
    expect(footageIn(spans, r(10_000, 230_000))).toBe(80_000 + 30_000);
    expect(footageIn([], r(0, 10))).toBe(0);
  });
  it('warns only beyond the tolerance', () => {
    const sel = r(0, 5 * MINUTE);
    const gap = checkFootage([r(0, 60_000), r(60_000 + 110_000, 5 * MINUTE)], sel);
    expect(gap).toEqual({ selectedMs: 5 * MINUTE, footageMs: 190_000, short: true });
    expect(footageText(gap)).toBe('The range holds 3 min 10 s of footage out of 5 min selected');
    // A join of 1.5 s is not a shortfall worth a word.
    expect(checkFootage([r(0, 100_000), r(101_500, 5 * MINUTE)], sel).short).toBe(false);
    expect(footageText(checkFootage([], sel))).toBe('Nothing was recorded in the 5 min selected');
  });
});

describe('footageAt', () => {
  it('says yes inside a span, no in a gap, unknown past what the spans know', () => {
    const spans = [r(0, 1000)];
    expect(footageAt(spans, 500)).toBe('yes');
    expect(footageAt(spans, 1500, 5000)).toBe('no');
    expect(footageAt(spans, 6000, 5000)).toBe('unknown');
  });
});
