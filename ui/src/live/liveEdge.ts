// Why: the decisions that keep a live <video> live — when to jump to the live edge and how much old buffer to drop.

/** Buffered time ranges in seconds, in order, as [start, end] pairs. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

export function rangesOf(tr: Pick<TimeRanges, 'length' | 'start' | 'end'>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < tr.length; i++) out.push([tr.start(i), tr.end(i)]);
  return out;
}

export interface LiveEdgeOptions {
  /** Further behind the buffered end than this (seconds) and we jump. */
  maxLatency?: number;
  /** Where a jump lands: this far before the buffered end. */
  targetLatency?: number;
  /** How close to a range counts as inside it (frame-sized gaps are left to the browser). */
  tolerance?: number;
}

export const LIVE_EDGE_DEFAULTS: Required<LiveEdgeOptions> = { maxLatency: 1.5, targetLatency: 0.5, tolerance: 0.1 };

export interface LiveEdgeInput {
  currentTime: number;
  buffered: Ranges;
  /** The server said `{"type":"skip"}`: frames were dropped and the page should catch up. */
  skipRequested?: boolean;
}

export type LiveEdgeReason = 'behind' | 'skip' | 'gap';

/**
 * Where to set `currentTime`, or null to leave it. Jumps when playback is more than maxLatency
 * behind the end of the newest buffered range, when the server asked (skip), or when the playhead
 * has no data ahead of it (before the first fragment, or at the hole a skip leaves) while newer
 * data is buffered.
 */
export function liveEdgeSeek(
  input: LiveEdgeInput,
  opts: LiveEdgeOptions = {},
): { to: number; reason: LiveEdgeReason } | null {
  const { maxLatency, targetLatency, tolerance } = { ...LIVE_EDGE_DEFAULTS, ...opts };
  const last = input.buffered[input.buffered.length - 1];
  if (!last) return null;
  const [lastStart, end] = last;
  const t = input.currentTime;
  const to = Math.max(lastStart, end - targetLatency);
  // Never jump backwards, and never "jump" by less than a frame or so.
  const worth = to - t > tolerance;
  if (!worth) return null;
  if (input.skipRequested) return { to, reason: 'skip' };
  if (end - t > maxLatency) return { to, reason: 'behind' };
  // Playable = inside a range with data still ahead; at a range's very end with newer data after
  // a hole, playback would stall there.
  const playable = input.buffered.some(([s, e]) => t >= s - tolerance && t < e - tolerance / 2);
  if (!playable) return { to, reason: 'gap' };
  return null;
}

export interface TrimOptions {
  /** Seconds of buffer to keep behind the playhead. */
  keepSeconds?: number;
  /** Only trim once this much more than keepSeconds has piled up, so removes stay rare. */
  slackSeconds?: number;
}

/** The [start, end) to remove from the buffer, or null when there is not enough old data yet. */
export function trimRange(currentTime: number, buffered: Ranges, opts: TrimOptions = {}): [number, number] | null {
  const { keepSeconds = 30, slackSeconds = 10 } = opts;
  const first = buffered[0];
  if (!first) return null;
  const start = first[0];
  const end = currentTime - keepSeconds;
  if (end - start < slackSeconds) return null;
  return [start, end];
}
