// Why: proves day navigation stays where the operator put it while the video plays — another day or a pan away stops the following, a seek or playback walking back into view starts it, and midnight turns the day only while following.
import { describe, expect, it } from 'vitest';
import { atDay, followPlayback, playheadHidden, reveal, showDay, userView } from './dayNav';
import { HOUR, MINUTE, dayKey, dayRange, shiftDay } from './timeMath';

const today = '2025-03-12';
const noon = dayRange(today).startMs + 12 * HOUR;

describe('day navigation while playing', () => {
  it('another day stays shown while the playhead plays on the old one', () => {
    let s = atDay(today);
    s = showDay(s, shiftDay(today, -1), noon);
    expect(s.day).toBe(shiftDay(today, -1));
    expect(s.following).toBe(false);
    // A few seconds of playback on the old day: nothing moves.
    for (let t = noon; t < noon + 10_000; t += 100) expect(followPlayback(s, t)).toBe(s);
    expect(playheadHidden(s, noon)).toBe(true);
  });

  it('going back to the playing day follows again', () => {
    let s = showDay(atDay(today), shiftDay(today, 1), noon);
    s = showDay(s, today, noon);
    expect(s.following).toBe(true);
    expect(s.view).toEqual(dayRange(today));
  });

  it('the same day again changes nothing', () => {
    const s = atDay(today);
    expect(showDay(s, today, noon)).toBe(s);
  });

  it('a seek shows its day and follows', () => {
    const s = reveal(showDay(atDay(today), shiftDay(today, -3), noon), noon);
    expect(s.day).toBe(today);
    expect(s.following).toBe(true);
    expect(noon >= s.view.startMs && noon <= s.view.endMs).toBe(true);
  });

  it('a seek with a zoom centres the instant', () => {
    const s = reveal(atDay(today), noon, HOUR);
    expect(s.view).toEqual({ startMs: noon - HOUR / 2, endMs: noon + HOUR / 2 });
  });

  it('following turns the page and, at midnight, the day', () => {
    let s = userView(atDay(today), { startMs: noon - 30 * MINUTE, endMs: noon + 30 * MINUTE }, noon);
    expect(s.following).toBe(true);
    const turned = followPlayback(s, noon + 29 * MINUTE);
    expect(turned.view.startMs).toBeGreaterThan(s.view.startMs);
    s = userView(atDay(today), { startMs: noon + 11 * HOUR, endMs: noon + 12 * HOUR }, noon + 11.5 * HOUR);
    const next = followPlayback(s, dayRange(today).endMs + 1000);
    expect(next.day).toBe(shiftDay(today, 1));
    expect(next.following).toBe(true);
  });

  it('a pan that leaves the playhead out stops following until playback walks back in', () => {
    const v = { startMs: noon + HOUR, endMs: noon + 2 * HOUR };
    let s = userView(atDay(today), v, noon);
    expect(s.following).toBe(false);
    expect(followPlayback(s, noon + 1000)).toBe(s);
    s = followPlayback(s, noon + 1.5 * HOUR);
    expect(s.following).toBe(true);
    expect(s.view).toEqual(v);
  });

  it('a whole-day view keeps following a playhead near its end, so midnight still turns the day', () => {
    const late = dayRange(today).endMs - 10 * MINUTE;
    const s = userView(atDay(today), dayRange(today), late);
    expect(s.following).toBe(true);
    expect(followPlayback(s, dayRange(today).endMs + 500).day).toBe(shiftDay(today, 1));
  });

  it('the playing day is the one the playhead is on, in local time', () => {
    expect(dayKey(noon)).toBe(today);
  });
});
