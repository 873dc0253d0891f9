// Why: the usage-over-time chart's geometry as pure functions — samples grouped per tier, time and bytes scaled into the plot, "nice" byte ticks and local-time ticks, SVG path text.
import { clockLabel, localOffset } from '../timeline/timeMath';
import type { OffsetFn } from '../timeline/timeMath';
import { humanBytes } from './format';
import type { UsageSample } from './types';

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const CHART_BOX: ChartBox = { width: 640, height: 180, left: 64, right: 12, top: 10, bottom: 24 };
/** The smallest byte scale: an empty tier gets a 0–1 MB axis, not fractions of a byte. */
export const MIN_Y_BYTES = 1_000_000;

export interface ChartPoint {
  x: number;
  y: number;
  atMs: number;
  bytes: number;
}

export interface ChartSeries {
  tier: string;
  points: ChartPoint[];
  /** `M x y L x y …`, empty for no points. */
  path: string;
  /** The newest sample in the window. */
  last: ChartPoint | null;
}

export interface AxisTick {
  /** Position along the axis, in SVG units. */
  pos: number;
  label: string;
}

export interface ChartModel {
  series: ChartSeries[];
  yMax: number;
  yTicks: AxisTick[];
  xTicks: AxisTick[];
  /** No sample falls in the window. */
  empty: boolean;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `v` (1 for nothing). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const k = Math.floor(Math.log10(v));
  const base = 10 ** k;
  for (const m of [1, 2, 2.5, 5, 10]) {
    // A little slack for floating error (3e9 / 1e9 is not always exactly 3).
    if (m * base >= v * (1 - 1e-12)) return m * base;
  }
  return 10 * base;
}

/** Samples by tier, in time order, keeping tiers in the order they first appear. */
export function groupByTier(samples: readonly UsageSample[]): Map<string, { atMs: number; bytes: number }[]> {
  const out = new Map<string, { atMs: number; bytes: number }[]>();
  for (const s of samples) {
    const atMs = Date.parse(s.at);
    if (Number.isNaN(atMs) || !Number.isFinite(s.used_bytes)) continue;
    let list = out.get(s.tier);
    if (!list) out.set(s.tier, (list = []));
    list.push({ atMs, bytes: Math.max(0, s.used_bytes) });
  }
  for (const list of out.values()) list.sort((a, b) => a.atMs - b.atMs);
  return out;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Time-axis steps, finest first. */
const TIME_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Local-time ticks over [from, to] at most `maxTicks` of them, aligned to local midnight. */
export function timeTicks(
  fromMs: number,
  toMs: number,
  toX: (ms: number) => number,
  maxTicks = 6,
  offset: OffsetFn = localOffset,
): AxisTick[] {
  const span = toMs - fromMs;
  if (!(span > 0)) return [];
  const step = TIME_STEPS.find((s) => span / s <= maxTicks) ?? (TIME_STEPS[TIME_STEPS.length - 1] as number);
  const off = offset(fromMs);
  const out: AxisTick[] = [];
  for (let t = Math.ceil((fromMs + off) / step) * step - off, i = 0; t <= toMs && i < 100; t += step, i++) {
    const label = step >= DAY ? dateFmt.format(t + offset(t)) : clockLabel(t, false, offset);
    out.push({ pos: toX(t), label });
  }
  return out;
}

/** The chart for samples over [fromMs, toMs] in `box`. */
export function buildChart(
  samples: readonly UsageSample[],
  fromMs: number,
  toMs: number,
  box: ChartBox = CHART_BOX,
  offset: OffsetFn = localOffset,
  minY = MIN_Y_BYTES,
): ChartModel {
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const span = Math.max(1, toMs - fromMs);
  const toX = (ms: number) => box.left + ((ms - fromMs) / span) * plotW;
  const groups = groupByTier(samples);
  let max = 0;
  for (const list of groups.values()) for (const p of list) if (p.atMs >= fromMs && p.atMs <= toMs) max = Math.max(max, p.bytes);
  const yMax = niceCeil(Math.max(max, minY));
  const toY = (bytes: number) => box.top + plotH - (bytes / yMax) * plotH;
  const round = (v: number) => Math.round(v * 10) / 10;

  const series: ChartSeries[] = [];
  let any = false;
  for (const [tier, list] of groups) {
    const points = list
      .filter((p) => p.atMs >= fromMs && p.atMs <= toMs)
      .map((p) => ({ x: round(toX(p.atMs)), y: round(toY(p.bytes)), atMs: p.atMs, bytes: p.bytes }));
    if (points.length) any = true;
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
    series.push({ tier, points, path, last: points[points.length - 1] ?? null });
  }
  const yTicks: AxisTick[] = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
    pos: round(toY(yMax * f)),
    label: humanBytes(yMax * f),
  }));
  return {
    series,
    yMax,
    yTicks,
    xTicks: timeTicks(fromMs, toMs, (ms) => round(toX(ms)), 6, offset),
    empty: !any,
  };
}

/** Tier colours, by position (the same order as the bars' legend). */
export const SERIES_COLORS = ['#4c8dff', '#3fb27f', '#d9a441', '#c678dd', '#5aa9e6', '#e5534b', '#9aa6b8', '#e8c547'];
export const seriesColor = (i: number): string => SERIES_COLORS[i % SERIES_COLORS.length] ?? '#4c8dff';
