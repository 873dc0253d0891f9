// Why: pins the alert sound's switch (on by default, kept in localStorage) and that a burst of alerts beeps once a second at most.
import { describe, expect, it } from 'vitest';
import { SOUND_KEY, beep, setSoundOn, soundOn } from './sound';

describe('alert sound', () => {
  it('is on by default and remembers being turned off', () => {
    localStorage.removeItem(SOUND_KEY);
    expect(soundOn()).toBe(true);
    setSoundOn(false);
    expect(localStorage.getItem(SOUND_KEY)).toBe('off');
    expect(soundOn()).toBe(false);
    setSoundOn(true);
    expect(soundOn()).toBe(true);
  });

  it('beeps at most once a second (jsdom has no AudioContext: the beep is only counted)', () => {
    const t = 1_000_000;
    expect(beep('critical', t)).toBe(true);
    expect(beep('warning', t + 300)).toBe(false);
    expect(beep('warning', t + 1000)).toBe(true);
  });
});
