// Why: pins the usage chart's scaling — nice byte maxima, samples placed in the plot by time and bytes, per-tier paths, the window, and local-time ticks.
import { describe, expect, it } from 'vitest';
import type { UsageSample } from './types';
import { buildChart, groupByTier, niceCeil, timeTicks } from './usageChart';
import type { ChartBox } from './usageChart';

const BOX: ChartBox = { width: 110, height: 60, left: 10, right: 0, top: 0, bottom: 10 };
const T0 = Date.parse('2025-06-01T00:00:00Z');
const H = 3_600_000;
const utc = () => 0;

function sample(tier: string, atMs: number, used: number): UsageSample {
  return { at: new Date(atMs).toISOString(), tier, used_bytes: used, free_bytes: 0, capacity_bytes: 0 };
}

describe('niceCeil', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(-5)).toBe(1);
    expect(niceCeil(1)).toBe(1);
    expect(niceCeil(1.2)).toBe(2);
    expect(niceCeil(2.1)).toBe(2.5);
    expect(niceCeil(3e9)).toBe(5e9);
    expect(niceCeil(7.3e11)).toBe(1e12);
    expect(niceCeil(2.5e6)).toBe(2.5e6);
  });
});

describe('groupByTier', () => {
  it('groups per tier in time order, skipping unreadable samples', () => {
    const g = groupByTier([
      sample('hot', T0 + 2 * H, 3),
      sample('warm', T0, 9),
      sample('hot', T0, 1),
      { ...sample('hot', T0, 5), at: 'garbage' },
    ]);
    expect([...g.keys()]).toEqual(['hot', 'warm']);
    expect(g.get('hot')).toEqual([
      { atMs: T0, bytes: 1 },
      { atMs: T0 + 2 * H, bytes: 3 },
    ]);
  });
});

describe('buildChart', () => {
  it('places samples by time across the plot and by bytes up to a nice maximum', () => {
    const m = buildChart(
      [sample('hot', T0, 0), sample('hot', T0 + 5 * H, 40), sample('hot', T0 + 10 * H, 80), sample('warm', T0 + 10 * H, 20)],
      T0,
      T0 + 10 * H,
      BOX,
      utc,
      1,
    );
    expect(m.empty).toBe(false);
    expect(m.yMax).toBe(100);
    const hot = m.series.find((s) => s.tier === 'hot')!;
    // Plot: x 10..110, y 0..50 (50 is zero bytes).
    expect(hot.points.map((p) => [p.x, p.y])).toEqual([
      [10, 50],
      [60, 30],
      [110, 10],
    ]);
    expect(hot.path).toBe('M10 50 L60 30 L110 10');
    expect(hot.last?.bytes).toBe(80);
    expect(m.series.find((s) => s.tier === 'warm')?.path).toBe('M110 40');
    expect(m.yTicks.map((t) => t.pos)).toEqual([50, 37.5, 25, 12.5, 0]);
    expect(m.yTicks[4]?.label).toBe('100 B');
  });

  it('leaves out samples outside the window and says when nothing is left', () => {
    const m = buildChart([sample('hot', T0 - H, 5), sample('hot', T0 + 20 * H, 5)], T0, T0 + 10 * H, BOX, utc);
    expect(m.empty).toBe(true);
    expect(m.series[0]?.points).toEqual([]);
    expect(m.series[0]?.path).toBe('');
    // Nothing (or next to nothing) still gets a readable axis.
    expect(m.yMax).toBe(1e6);
    expect(buildChart([sample('hot', T0, 0)], T0, T0 + H, BOX, utc).yTicks.map((t) => t.label)).toEqual([
      '0 B',
      '250 KB',
      '500 KB',
      '750 KB',
      '1.0 MB',
    ]);
    expect(buildChart([], T0, T0 + H, BOX, utc).empty).toBe(true);
  });
});

describe('timeTicks', () => {
  it('uses hour steps for a day, aligned to local midnight', () => {
    const ticks = timeTicks(T0 + 30 * 60_000, T0 + 24 * H, (ms) => ms, 6, utc);
    expect(ticks.map((t) => t.label)).toEqual(['06:00', '12:00', '18:00', '00:00']);
    expect(ticks[0]?.pos).toBe(T0 + 6 * H);
  });

  it('uses dates for a week, in local time', () => {
    const plus2 = () => 2 * H;
    const ticks = timeTicks(T0, T0 + 7 * 24 * H, (ms) => ms, 6, plus2);
    // Two-day steps at local midnight (22:00 UTC): the first after the window opens.
    expect(ticks[0]?.pos).toBe(T0 + 46 * H);
    expect(ticks[1]?.pos).toBe(T0 + 94 * H);
    expect(ticks).toHaveLength(3);
    expect(ticks.every((t) => /\d/.test(t.label))).toBe(true);
  });

  it('has none for an empty window', () => {
    expect(timeTicks(T0, T0, (ms) => ms)).toEqual([]);
  });
});
