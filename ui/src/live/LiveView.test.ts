// Why: proves the Live button toggles a tile and open tiles follow the camera list (a deleted camera's tile goes).
import { describe, expect, it } from 'vitest';
import { camera } from '../test/fixtures';
import { openCameras, toggleLive } from './LiveView';

describe('live tiles', () => {
  it('opens in click order and closes on a second click', () => {
    expect(toggleLive([], 3)).toEqual([3]);
    expect(toggleLive([3], 1)).toEqual([3, 1]);
    expect(toggleLive([3, 1], 3)).toEqual([1]);
  });

  it('keeps opening order and drops cameras that no longer exist', () => {
    const list = [camera({ id: 1, name: 'A' }), camera({ id: 2, name: 'B' })];
    expect(openCameras([2, 9, 1], list).map((c) => c.name)).toEqual(['B', 'A']);
  });
});
