// Why: proves a synced follower seeks only when it drifts beyond the limit (and not again at once), mirrors play and pause, waits while loading, and rests with "no recording" where it has no footage.
import { describe, expect, it } from 'vitest';
import { RETRY_COOLDOWN_MS, SEEK_COOLDOWN_MS, driftLimitMs, syncDecision } from './syncDrift';
import type { FollowerView, LeaderView } from './syncDrift';

const T = 1_700_000_000_000;
const leader = (o: Partial<LeaderView> = {}): LeaderView => ({ wallMs: T, state: 'playing', speed: 1, ...o });
const follower = (o: Partial<FollowerView> = {}): FollowerView => ({
  opened: true,
  wallMs: T,
  state: 'playing',
  sinceSeekMs: 10_000,
  footage: 'yes',
  ...o,
});

describe('syncDecision', () => {
  it('leaves a follower within half a second alone, and plays it with the leader', () => {
    expect(syncDecision(leader(), follower({ wallMs: T - 400 }))).toEqual({ show: 'video', seekTo: null, play: true });
    expect(syncDecision(leader({ state: 'paused' }), follower({ wallMs: T + 400 }))).toEqual({ show: 'video', seekTo: null, play: false });
  });

  it('seeks a follower that drifted beyond 0.5 s to the leader', () => {
    expect(syncDecision(leader(), follower({ wallMs: T - 700 })).seekTo).toBe(T);
    expect(syncDecision(leader({ state: 'paused' }), follower({ wallMs: T + 5_000 })).seekTo).toBe(T);
  });

  it('does not seek again before the cooldown', () => {
    expect(syncDecision(leader(), follower({ wallMs: T - 700, sinceSeekMs: SEEK_COOLDOWN_MS - 1 })).seekTo).toBeNull();
  });

  it('allows more drift at high speed', () => {
    expect(driftLimitMs(1)).toBe(500);
    expect(driftLimitMs(16)).toBeGreaterThan(driftLimitMs(4));
    expect(syncDecision(leader({ speed: 16 }), follower({ wallMs: T - 1_000 })).seekTo).toBeNull();
  });

  it('rests with "no recording" where the follower has no footage', () => {
    expect(syncDecision(leader(), follower({ footage: 'no', wallMs: T - 60_000 }))).toEqual({ show: 'no-recording', seekTo: null, play: false });
  });

  it('opens a follower that was never opened, at once', () => {
    expect(syncDecision(leader(), follower({ opened: false, wallMs: null, sinceSeekMs: Infinity }))).toEqual({ show: 'waiting', seekTo: T, play: true });
  });

  it('waits while the follower loads, and holds while the leader buffers', () => {
    expect(syncDecision(leader(), follower({ state: 'loading', wallMs: T - 3_000 }))).toEqual({ show: 'waiting', seekTo: null, play: true });
    expect(syncDecision(leader({ state: 'buffering' }), follower()).play).toBe(false);
  });

  it('retries an empty or failed follower only now and then', () => {
    expect(syncDecision(leader(), follower({ state: 'empty', sinceSeekMs: 100 })).seekTo).toBeNull();
    expect(syncDecision(leader(), follower({ state: 'error', sinceSeekMs: RETRY_COOLDOWN_MS })).seekTo).toBe(T);
  });

  it('does nothing before the leader has a time', () => {
    expect(syncDecision(leader({ wallMs: null }), follower())).toEqual({ show: 'waiting', seekTo: null, play: false });
  });
});
