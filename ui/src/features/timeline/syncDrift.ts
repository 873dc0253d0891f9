// Why: the decisions of synced playback in one pure function — what a follower camera's player should do to stay on the leader's wall time (seek when it drifts, mirror play and pause, rest where it has no footage).
import type { VodState } from './vodPlayer';

/** Most cameras one synced group plays (the 2×2 stage). */
export const SYNC_MAX = 4;

/** How long (real ms) a follower is left alone after a seek before its drift is judged again. */
export const SEEK_COOLDOWN_MS = 1_000;
/** After a failed or empty open, wait this long before trying that follower again. */
export const RETRY_COOLDOWN_MS = 4_000;

/**
 * Drift (wall ms) that makes a follower seek: 0.5 s, and more at high speed, where half a second
 * of wall time is a few video frames and a seek every tick would only stall it.
 */
export function driftLimitMs(speed: number): number {
  return 500 * Math.max(1, speed / 2);
}

export interface LeaderView {
  /** Wall time under the leader's playhead; null before anything is open. */
  wallMs: number | null;
  state: VodState;
  speed: number;
}

export interface FollowerView {
  /** Whether its player has a camera open (has been opened at least once). */
  opened: boolean;
  wallMs: number | null;
  state: VodState;
  /** Real ms since this follower was last told to seek or open (Infinity: never). */
  sinceSeekMs: number;
  /** Footage of the follower at the leader's instant, from its timeline. */
  footage: 'yes' | 'no' | 'unknown';
}

export interface SyncDecision {
  /** What its tile shows. */
  show: 'video' | 'no-recording' | 'waiting';
  /** Wall instant to seek (or open) the follower at, or null. */
  seekTo: number | null;
  /** Whether it should be playing. */
  play: boolean;
}

const leaderPlays = (s: VodState) => s === 'playing';

/** What follower `f` should do now to show what the leader shows. */
export function syncDecision(leader: LeaderView, f: FollowerView): SyncDecision {
  const lw = leader.wallMs;
  if (lw === null) return { show: 'waiting', seekTo: null, play: false };
  // No footage at the leader's instant: rest (paused) and say so; seek again when there is.
  if (f.footage === 'no') return { show: 'no-recording', seekTo: null, play: false };
  // Waiting for the leader (loading, buffering): hold still, but already go where it goes.
  const play = leaderPlays(leader.state);
  if (!f.opened || f.wallMs === null) {
    return { show: 'waiting', seekTo: f.sinceSeekMs >= RETRY_COOLDOWN_MS || !f.opened ? lw : null, play };
  }
  if (f.state === 'loading') return { show: 'waiting', seekTo: null, play };
  if (f.state === 'empty' || f.state === 'error') {
    return { show: 'video', seekTo: f.sinceSeekMs >= RETRY_COOLDOWN_MS ? lw : null, play };
  }
  const drift = Math.abs(f.wallMs - lw);
  const seekTo = drift > driftLimitMs(leader.speed) && f.sinceSeekMs >= SEEK_COOLDOWN_MS ? lw : null;
  return { show: 'video', seekTo, play };
}
