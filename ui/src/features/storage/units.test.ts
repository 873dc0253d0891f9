// Why: pins the unit grammar to the server's (crates/storage/src/units.rs): the same accepted and refused texts, the same messages, the same shortest text written back.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from './units';

const value = (p: ReturnType<typeof parseDuration>) => (p.ok ? p.value : p.error);

describe('durations', () => {
  it('parse with units and round-trip through the shortest text', () => {
    const cases: [string, number][] = [
      ['90s', 90],
      ['10m', 600],
      ['12h', 43_200],
      ['7d', 604_800],
      ['2w', 1_209_600],
      ['1.5h', 5_400],
      [' 3 d ', 259_200],
      ['0s', 0],
    ];
    for (const [t, secs] of cases) {
      expect(value(parseDuration(t)), t).toBe(secs);
      expect(value(parseDuration(formatDuration(secs))), t).toBe(secs);
    }
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(7 * 86_400)).toBe('7d');
    expect(formatDuration(14 * 86_400)).toBe('14d');
    expect(formatDuration(5_400)).toBe('90m');
    expect(formatDuration(0)).toBe('0s');
  });

  it('refuse what the server refuses', () => {
    for (const bad of ['', '7', 'd', '7 days', '-1d', '0.5s', '1.d', '.5h', '99999w', '7D', '1e3s', '1..5h', '1.1h']) {
      expect(parseDuration(bad).ok, bad).toBe(false);
    }
  });

  it('say why in the server’s words', () => {
    expect(value(parseDuration('7 days'))).toBe('"7 days": unknown unit "days" (use s, m, h, d or w)');
    expect(value(parseDuration('soon'))).toBe(
      '"soon" is not a duration: write a number and a unit (90s, 10m, 12h, 7d, 2w)',
    );
    expect(value(parseDuration('0.5s'))).toBe('"0.5s" must be a whole number of seconds of at most 100 years');
  });
});

describe('sizes', () => {
  it('parse decimal and binary units and round-trip', () => {
    const cases: [string, number][] = [
      ['500GB', 500e9],
      ['2GiB', 2 * 2 ** 30],
      ['40MiB', 40 * 2 ** 20],
      ['1.5TB', 1.5e12],
      ['10 kB', 10_000],
      ['7B', 7],
    ];
    for (const [t, b] of cases) {
      expect(value(parseSize(t)), t).toBe(b);
      expect(value(parseSize(formatSize(b))), t).toBe(b);
    }
    expect(formatSize(2e9)).toBe('2GB');
    expect(formatSize(40 * 2 ** 20)).toBe('40MiB');
    expect(formatSize(1_500_000)).toBe('1500KB');
    expect(formatSize(0)).toBe('0B');
  });

  it('refuse what the server refuses, in its words', () => {
    for (const bad of ['', '5', 'GB', '5 gigabytes', '0.5B', '-1GB', '10EB', '1e3MB', '5gb', '9.3EB', '10000000TB']) {
      expect(parseSize(bad).ok, bad).toBe(false);
    }
    expect(value(parseSize('5 gigabytes'))).toBe(
      '"5 gigabytes": unknown unit "gigabytes" (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)',
    );
    expect(value(parseSize('10000000TB'))).toBe('"10000000TB" must be a whole number of bytes below 9 EB');
  });
});
