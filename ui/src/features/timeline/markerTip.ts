// Why: when the marker tooltip may stay open — by a stable key, not by object identity (markers are rebuilt on every data refresh and view change, which left the old tooltip stuck), and never once its marker has moved from under a still pointer.
import type { MarkerCluster } from './markers';

/** A stable name for a cluster across re-renders: its first marker. */
export function clusterKey(c: MarkerCluster): string {
  const first = c.markers[0];
  return first ? `${first.kind}-${first.id ?? ''}-${first.at_ms}` : '';
}

export interface OpenTip {
  key: string;
  /** Where the marker was on the bar when the tooltip opened. */
  px: number;
  /** Opened by the pointer resting on the marker, or by keyboard focus on it. */
  via: 'pointer' | 'focus';
}

export function openTip(c: MarkerCluster, via: OpenTip['via']): OpenTip {
  return { key: clusterKey(c), px: c.px, via };
}

/** How far (px) a marker may shift under a resting pointer and keep its tooltip (rounding). */
const MOVE_TOLERANCE_PX = 1.5;

/**
 * The tooltip after the markers were drawn again: closed when its marker is gone, or — for a
 * pointer-opened one — moved away from under the pointer (the pointer cannot be on it any more,
 * and no pointerleave will come); a focused marker keeps its tooltip as it moves.
 */
export function tipAfterRender(tip: OpenTip | null, clusters: readonly MarkerCluster[]): OpenTip | null {
  if (!tip) return null;
  const c = clusters.find((x) => clusterKey(x) === tip.key);
  if (!c) return null;
  if (tip.via === 'pointer' && Math.abs(c.px - tip.px) > MOVE_TOLERANCE_PX) return null;
  return tip;
}

/** The cluster an open tooltip shows (the current object for its key), or null. */
export function tipCluster(tip: OpenTip | null, clusters: readonly MarkerCluster[]): MarkerCluster | null {
  if (!tip) return null;
  return clusters.find((x) => clusterKey(x) === tip.key) ?? null;
}

/** Close the tooltip only if it is the one for `key` (a late leave from another marker leaves it). */
export function closeTip(tip: OpenTip | null, key: string): OpenTip | null {
  return tip && tip.key === key ? null : tip;
}
