// Why: proves when a live <video> jumps to the live edge (behind by > 1.5 s, skip, stuck in a gap) and when it must not.
import { describe, expect, it } from 'vitest';
import { liveEdgeSeek, rangesOf, trimRange } from './liveEdge';

describe('liveEdgeSeek', () => {
  it('leaves playback alone within 1.5 s of the buffered end', () => {
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 11.4]] })).toBeNull();
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 11.5]] })).toBeNull();
  });

  it('jumps to just before the end when more than 1.5 s behind', () => {
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 11.6]] })).toEqual({ to: 11.1, reason: 'behind' });
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 20]] }, { targetLatency: 1 })).toEqual({ to: 19, reason: 'behind' });
  });

  it('on skip, jumps even when only a little behind, but never backwards', () => {
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 11]], skipRequested: true })).toEqual({ to: 10.5, reason: 'skip' });
    // The skip came before the fragments after it: nothing newer to land on yet.
    expect(liveEdgeSeek({ currentTime: 10.45, buffered: [[0, 10.5]], skipRequested: true })).toBeNull();
  });

  it('lands inside the newest range, not in the hole a skip left', () => {
    const r = liveEdgeSeek({ currentTime: 5, buffered: [[0, 5.04], [9.8, 10.2]] });
    expect(r?.reason).toBe('behind');
    expect(r?.to).toBe(9.8);
  });

  it('moves a playhead stuck before the first fragment (stream start) or in a gap', () => {
    // Camera timestamps start far from zero.
    expect(liveEdgeSeek({ currentTime: 0, buffered: [[3600, 3600.4]] })).toEqual({ to: 3600, reason: 'behind' });
    expect(liveEdgeSeek({ currentTime: 10, buffered: [[0, 10], [10.5, 11]] })).toEqual({ to: 10.5, reason: 'gap' });
    // A frame-sized hole is the browser's business.
    expect(liveEdgeSeek({ currentTime: 10.02, buffered: [[0, 10], [10.04, 11]] })).toBeNull();
  });

  it('does nothing without buffered data', () => {
    expect(liveEdgeSeek({ currentTime: 0, buffered: [], skipRequested: true })).toBeNull();
  });
});

describe('trimRange', () => {
  it('keeps 30 s behind the playhead and trims only once 10 s more have piled up', () => {
    expect(trimRange(35, [[0, 36]])).toBeNull();
    expect(trimRange(39.9, [[0, 40]])).toBeNull();
    expect(trimRange(41, [[0, 42]])).toEqual([0, 11]);
    expect(trimRange(100, [[50, 101]], { keepSeconds: 20, slackSeconds: 5 })).toEqual([50, 80]);
  });

  it('starts at the oldest range', () => {
    expect(trimRange(100, [[20, 30], [40, 101]])).toEqual([20, 70]);
    expect(trimRange(100, [])).toBeNull();
  });
});

describe('rangesOf', () => {
  it('reads TimeRanges into pairs', () => {
    const tr = { length: 2, start: (i: number) => [1, 5]![i]!, end: (i: number) => [2, 7]![i]! };
    expect(rangesOf(tr)).toEqual([
      [1, 2],
      [5, 7],
    ]);
  });
});
