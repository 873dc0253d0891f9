// Why: the tier bar's arithmetic as a pure function — how much of the filesystem is our footage, something else, and free, and where the free-space reserve starts.
import type { TierView } from './types';

export interface BarParts {
  /** Fractions of the filesystem, left to right; they sum to 1. */
  footage: number;
  other: number;
  free: number;
  /** Bytes of the filesystem used by anything but this tier's footage (another tier on the same disk too). */
  otherBytes: number;
  /** Where free space falls to the reserve, as a fraction from the left; null without a reserve. */
  reserveAt: number | null;
  /** Free space is already below the reserve: the next pass moves or deletes footage. */
  short: boolean;
  /** Used (anything) as a fraction of the filesystem. */
  usedFraction: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The bar of one tier, or null when the filesystem's size is unknown (an offline tier answers 0).
 * The index's byte count may briefly disagree with the filesystem (a pass in flight): footage is
 * capped at what the filesystem says is used, so the parts always fit.
 */
export function usageBar(
  t: Pick<TierView, 'used_bytes' | 'free_bytes' | 'capacity_bytes' | 'reserve_free_bytes'>,
): BarParts | null {
  const cap = t.capacity_bytes;
  if (!(cap > 0)) return null;
  const free = Math.min(cap, Math.max(0, t.free_bytes));
  const used = cap - free;
  const footageBytes = Math.min(used, Math.max(0, t.used_bytes));
  const otherBytes = used - footageBytes;
  const reserve = Math.max(0, t.reserve_free_bytes);
  return {
    footage: footageBytes / cap,
    other: otherBytes / cap,
    free: free / cap,
    otherBytes,
    reserveAt: reserve > 0 ? clamp01(1 - reserve / cap) : null,
    short: reserve > 0 && free < reserve,
    usedFraction: used / cap,
  };
}

/** A fraction as a CSS percentage with a little precision ("12.35%"). */
export function pct(f: number): string {
  return `${(clamp01(f) * 100).toFixed(2)}%`;
}

/**
 * The tier recording writes to: the first configured tier (`hot` when none is configured), else the
 * tier the server gave a days-until-full for, else the first listed.
 */
export function recordingTier(
  view: { tiers: readonly TierView[]; settings: { tiers: readonly { name: string }[] } },
): TierView | null {
  const first = view.settings.tiers[0]?.name ?? 'hot';
  return (
    view.tiers.find((t) => t.name === first) ??
    view.tiers.find((t) => t.days_until_full !== null) ??
    view.tiers[0] ??
    null
  );
}

/** A camera's bytes on one tier (`by_tier` is a map the document leaves untyped). */
export function bytesOn(byTier: Record<string, unknown>, tier: string): number {
  const v = byTier[tier];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
