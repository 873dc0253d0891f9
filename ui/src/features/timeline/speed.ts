// Why: playback speed without surprises — the browser's playbackRate where it allows the speed, and stepping by seeks above that.

export const SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;
export type Speed = (typeof SPEEDS)[number];

export const speedLabel = (s: number): string => `${s}×`;

/** How to play at `rate`: the element's own rate, plus a forward seek every `tickMs` when that is not enough. */
export interface SpeedPlan {
  /** Value for `video.playbackRate`. */
  native: number;
  /** Extra seconds to seek forward every `tickMs` (0: no stepping). */
  stepSeconds: number;
  tickMs: number;
}

/**
 * Plan for `rate` given the highest playbackRate the element accepts. Stepping plays at the
 * highest native rate and adds the rest as seeks, so wall time still advances `rate`× real time.
 */
export function speedPlan(rate: number, maxNative: number, tickMs = 500): SpeedPlan {
  if (rate <= maxNative) return { native: rate, stepSeconds: 0, tickMs };
  const native = Math.max(1, maxNative);
  return { native, stepSeconds: ((rate - native) * tickMs) / 1000, tickMs };
}

/** Something with a settable playbackRate (a <video>). */
export interface RateTarget {
  playbackRate: number;
}

/**
 * The highest of `SPEEDS` the element takes as playbackRate (setting an unsupported rate throws
 * NotSupportedError in Chromium, whose limit is 16; others may clamp or ignore it).
 */
export function maxNativeRate(el: RateTarget, candidates: readonly number[] = SPEEDS): number {
  const before = el.playbackRate;
  let max = 1;
  for (const r of candidates) {
    try {
      el.playbackRate = r;
      if (Math.abs(el.playbackRate - r) < 1e-6) max = Math.max(max, r);
    } catch {
      // Not allowed here.
    }
  }
  try {
    el.playbackRate = before;
  } catch {
    // Leave it.
  }
  return max;
}

/** The next speed up or down the list from `current`; the same at either end. */
export function stepSpeed(current: number, dir: 1 | -1): Speed {
  const i = SPEEDS.findIndex((s) => s >= current);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  const next = Math.min(SPEEDS.length - 1, Math.max(0, at + dir));
  return SPEEDS[next] ?? 1;
}
