// Why: proves the synced group defaults to the leader plus the current layout's cameras in reading order, never more than four, and keeps the leader in whatever the operator ticks.
import { describe, expect, it } from 'vitest';
import { defaultSyncCameras, layoutCameras, togglePick, withLeader } from './syncCameras';

const tile = (camera_id: number, x: number, y: number) => ({ camera_id, position: { x, y }, size: { width: 6, height: 6 } });

describe('sync cameras', () => {
  it('reads a layout top row first, left to right', () => {
    expect(layoutCameras({ layout: [tile(3, 6, 6), tile(1, 0, 0), tile(2, 6, 0), tile(4, 0, 6)] })).toEqual([1, 2, 4, 3]);
    expect(layoutCameras(null)).toEqual([]);
  });

  it('defaults to the leader and the layout, at most four', () => {
    expect(defaultSyncCameras(2, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toEqual([2, 1, 3, 4]);
    // A deleted camera in the layout is skipped; too few are filled from the list.
    expect(defaultSyncCameras(1, [9, 3], [1, 2, 3])).toEqual([1, 3, 2]);
    expect(defaultSyncCameras(1, [], [1])).toEqual([1]);
  });

  it('keeps the leader first and in', () => {
    expect(withLeader([3, 4], 2, [1, 2, 3, 4])).toEqual([2, 3, 4]);
    expect(withLeader([1, 3, 4, 5], 2, [1, 2, 3, 4, 5])).toEqual([2, 1, 3, 4]);
  });

  it('ticks and unticks, refusing a fifth and the leader', () => {
    const four = [1, 2, 3, 4];
    expect(togglePick(four, 5, 1)).toBe(four);
    expect(togglePick(four, 1, 1)).toBe(four);
    expect(togglePick(four, 3, 1)).toEqual([1, 2, 4]);
    expect(togglePick([1, 2], 3, 1)).toEqual([1, 2, 3]);
  });
});
