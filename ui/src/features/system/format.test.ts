// Why: pins how the System page writes rates, durations, memory, milliseconds, percentages and counts.
import { describe, expect, it } from 'vitest';
import { humanCount, humanKbps, humanMemory, humanMs, humanPercent, humanRate, humanUptime } from './format';

describe('format', () => {
  it('bit rates from kbit/s', () => {
    expect(humanKbps(null)).toBe('—');
    expect(humanKbps(0)).toBe('0 kbit/s');
    expect(humanKbps(3.25)).toBe('3.3 kbit/s');
    expect(humanKbps(850.4)).toBe('850 kbit/s');
    expect(humanKbps(4200)).toBe('4.2 Mbit/s');
    expect(humanKbps(12_345)).toBe('12 Mbit/s');
    expect(humanKbps(2_500_000)).toBe('2.5 Gbit/s');
  });

  it('frame rates', () => {
    expect(humanRate(undefined)).toBe('—');
    expect(humanRate(0)).toBe('0');
    expect(humanRate(0.2)).toBe('0.2');
    expect(humanRate(25.01)).toBe('25');
    expect(humanRate(12.5)).toBe('12.5');
    expect(humanRate(120.4)).toBe('120');
  });

  it('uptime in its two largest units', () => {
    expect(humanUptime(null)).toBe('—');
    expect(humanUptime(0)).toBe('0 s');
    expect(humanUptime(42.9)).toBe('42 s');
    expect(humanUptime(60)).toBe('1 min');
    expect(humanUptime(725)).toBe('12 min 5 s');
    expect(humanUptime(4 * 3600 + 12 * 60 + 3)).toBe('4 h 12 min');
    expect(humanUptime(7200)).toBe('2 h');
    expect(humanUptime(3 * 86400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(humanUptime(86400)).toBe('1 d');
  });

  it('memory in powers of 1024', () => {
    expect(humanMemory(null)).toBe('—');
    expect(humanMemory(512)).toBe('512 B');
    expect(humanMemory(512 * 1024 * 1024)).toBe('512 MiB');
    expect(humanMemory(1.25 * 1024 ** 3)).toBe('1.3 GiB');
  });

  it('milliseconds, percentages and counts', () => {
    expect(humanMs(0.42)).toBe('0.4 ms');
    expect(humanMs(12.4)).toBe('12 ms');
    expect(humanMs(1300)).toBe('1.3 s');
    expect(humanMs(-1)).toBe('—');
    expect(humanPercent(0.42)).toBe('0.4 %');
    expect(humanPercent(135.2)).toBe('135 %');
    expect(humanPercent(null)).toBe('—');
    expect(humanCount(1234567)).toBe('1,234,567');
    expect(humanCount(null)).toBe('—');
  });
});
