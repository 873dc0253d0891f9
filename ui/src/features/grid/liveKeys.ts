// Why: the live page's keyboard shortcuts and the rule for which new cameras join a layout, as pure functions.
import type { Camera } from '../../api/types';
import type { Direction, Preset, Tile } from './layoutMath';

export type LiveKeyAction =
  | { kind: 'preset'; preset: Preset }
  | { kind: 'move'; dir: Direction }
  | { kind: 'solo' }
  | { kind: 'fullscreen' }
  | { kind: 'escape' }
  | { kind: 'help' };

/** The preset buttons' own numbers: 1, 4 and 9; 16 cannot be typed as one key, so 6 (its last digit). */
const PRESET_KEYS: Record<string, Preset> = { '1': 1, '4': 4, '9': 9, '6': 16 };

export function liveKeyAction(key: string): LiveKeyAction | null {
  const preset = PRESET_KEYS[key];
  if (preset) return { kind: 'preset', preset };
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'move', dir: 'left' };
    case 'ArrowRight':
      return { kind: 'move', dir: 'right' };
    case 'ArrowUp':
      return { kind: 'move', dir: 'up' };
    case 'ArrowDown':
      return { kind: 'move', dir: 'down' };
    case 'Enter':
      return { kind: 'solo' };
    case 'f':
    case 'F':
      return { kind: 'fullscreen' };
    case 'Escape':
      return { kind: 'escape' };
    case '?':
      return { kind: 'help' };
    default:
      return null;
  }
}

/** A PTZ speed for a key on the selected PTZ camera: Shift+arrows pan and tilt, + and − zoom
 * (held to move, released to stop). `null`: not a PTZ key. */
export function ptzKey(key: string, shift: boolean, speed = 0.5): { pan: number; tilt: number; zoom: number } | null {
  if (shift) {
    switch (key) {
      case 'ArrowLeft':
        return { pan: -speed, tilt: 0, zoom: 0 };
      case 'ArrowRight':
        return { pan: speed, tilt: 0, zoom: 0 };
      case 'ArrowUp':
        return { pan: 0, tilt: speed, zoom: 0 };
      case 'ArrowDown':
        return { pan: 0, tilt: -speed, zoom: 0 };
    }
  }
  if (key === '+' || key === '=') return { pan: 0, tilt: 0, zoom: speed };
  if (key === '-' || key === '_') return { pan: 0, tilt: 0, zoom: -speed };
  return null;
}

/** The help overlay's list: keys, then what they do. */
export const LIVE_SHORTCUTS: readonly [string, string][] = [
  ['1 4 9 6', 'Preset of 1, 4, 9 or 16 (6) tiles, the selected camera first'],
  ['← → ↑ ↓', 'Select the next tile that way'],
  ['Enter', 'Show the selected camera alone, or the grid again'],
  ['f', 'Full screen (the selected camera, else the grid)'],
  ['Esc', 'Back to the grid, clear the selection'],
  ['Shift + ← → ↑ ↓', 'Steer the selected PTZ camera (hold; release to stop)'],
  ['+ −', 'Zoom the selected PTZ camera'],
  ['?', 'This list'],
];

/** Cameras to add to a layout shown now: created after it was last saved and not in it. */
export function joiningCameras(cameras: readonly Camera[], layoutUpdatedAt: string, tiles: readonly Tile[]): Camera[] {
  const saved = Date.parse(layoutUpdatedAt);
  if (Number.isNaN(saved)) return [];
  const shown = new Set(tiles.map((t) => t.id));
  return cameras.filter((c) => !shown.has(c.id) && Date.parse(c.created_at) > saved);
}
