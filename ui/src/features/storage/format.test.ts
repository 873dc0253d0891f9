// Why: pins how the Storage page writes sizes, bit rates and days for people (decimal units, short and stable).
import { describe, expect, it } from 'vitest';
import { humanBitrate, humanBytes, humanDays, humanSpan, humanWhen } from './format';

describe('format', () => {
  it('writes bytes in decimal units', () => {
    expect(humanBytes(0)).toBe('0 B');
    expect(humanBytes(999)).toBe('999 B');
    expect(humanBytes(1_534_000_000)).toBe('1.5 GB');
    expect(humanBytes(500e9)).toBe('500 GB');
    expect(humanBytes(2.2e12)).toBe('2.2 TB');
    expect(humanBytes(-2e6)).toBe('-2.0 MB');
    expect(humanBytes(Number.NaN)).toBe('—');
  });

  it('writes bit rates, with nothing recorded as a dash', () => {
    expect(humanBitrate(0)).toBe('—');
    expect(humanBitrate(800)).toBe('800 bit/s');
    expect(humanBitrate(4_200_000)).toBe('4.2 Mbit/s');
    expect(humanBitrate(16_000_000)).toBe('16 Mbit/s');
  });

  it('writes days, hours under a day, and a dash for unknown', () => {
    expect(humanDays(null)).toBe('—');
    expect(humanDays(undefined)).toBe('—');
    expect(humanDays(0.01)).toBe('< 1 h');
    expect(humanDays(0.5)).toBe('12 h');
    expect(humanDays(1)).toBe('1 day');
    expect(humanDays(1.46)).toBe('1.5 days');
    expect(humanDays(42.4)).toBe('42 days');
  });

  it('leaves unreadable instants as they are and missing ones as a dash', () => {
    expect(humanWhen(null)).toBe('—');
    expect(humanWhen('not a time')).toBe('not a time');
    expect(humanSpan('a', 'b')).toBe('a – b');
    expect(humanSpan(0, 60_000)).toContain(' – ');
  });
});
