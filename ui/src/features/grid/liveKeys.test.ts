// Why: pins the live page's shortcuts, which new cameras join a layout, the camera drag's data and the fit-to-screen sizes.
import { describe, expect, it } from 'vitest';
import { camera } from '../../test/fixtures';
import { gridMetrics } from './CameraGrid';
import { downFor } from './GridTile';
import { CAMERA_DRAG_TYPE, draggedCamera } from './dragCamera';
import { joiningCameras, liveKeyAction } from './liveKeys';

describe('live shortcuts', () => {
  it('maps 1, 4, 9 and 6 to the presets, arrows, Enter, f, Esc and ?', () => {
    expect(liveKeyAction('1')).toEqual({ kind: 'preset', preset: 1 });
    expect(liveKeyAction('4')).toEqual({ kind: 'preset', preset: 4 });
    expect(liveKeyAction('9')).toEqual({ kind: 'preset', preset: 9 });
    expect(liveKeyAction('6')).toEqual({ kind: 'preset', preset: 16 });
    expect(liveKeyAction('2')).toBeNull();
    expect(liveKeyAction('ArrowLeft')).toEqual({ kind: 'move', dir: 'left' });
    expect(liveKeyAction('Enter')).toEqual({ kind: 'solo' });
    expect(liveKeyAction('f')).toEqual({ kind: 'fullscreen' });
    expect(liveKeyAction('Escape')).toEqual({ kind: 'escape' });
    expect(liveKeyAction('?')).toEqual({ kind: 'help' });
    expect(liveKeyAction('x')).toBeNull();
  });
});

describe('new cameras join the layout', () => {
  const saved = '2026-12-04T09:00:00.000Z';
  it('takes cameras created after the layout was saved and not in it', () => {
    const old = camera({ id: 1, created_at: '2026-12-04T08:00:00.000Z' });
    const fresh = camera({ id: 2, created_at: '2026-12-04T09:00:01.000Z' });
    const shown = camera({ id: 3, created_at: '2026-12-04T09:30:00.000Z' });
    expect(joiningCameras([old, fresh, shown], saved, [{ id: 3, x: 0, y: 0, w: 6, h: 6 }]).map((c) => c.id)).toEqual([2]);
    expect(joiningCameras([fresh], 'not a time', [])).toEqual([]);
  });
});

describe('camera drags', () => {
  const dt = (v: string) => ({ getData: (t: string) => (t === CAMERA_DRAG_TYPE ? v : '') });
  it('reads a camera id and nothing else', () => {
    expect(draggedCamera(dt('12'))).toBe(12);
    expect(draggedCamera(dt(''))).toBeNull();
    expect(draggedCamera(dt('12abc'))).toBeNull();
    expect(draggedCamera(dt('0'))).toBeNull();
    expect(draggedCamera(dt('99999999999999999999'))).toBeNull();
  });
});

describe('grid sizes', () => {
  it('keeps 16:9 cells, and with fit shrinks rows and width to the height', () => {
    expect(gridMetrics(1200, 12, false, 300)).toEqual({ rowH: 56.25, width: 1200 });
    const fit = gridMetrics(1200, 24, true, 600);
    expect(fit.rowH).toBe(25);
    expect(fit.width).toBeCloseTo((25 * 16 * 12) / 9);
    // A layout that fits already keeps its size.
    expect(gridMetrics(1200, 6, true, 600)).toEqual({ rowH: 56.25, width: 1200 });
  });
  it('says how long a camera has been down', () => {
    expect(downFor('2026-12-04T09:00:00.000Z', Date.parse('2026-12-04T09:02:14.000Z'))).toBe('2 min 14 s');
    expect(downFor(null, 0)).toBeNull();
  });
});
