// Why: pins which saved layout opens, how new layouts are named and filled, and the remembered last layout.
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../api/types';
import { LAST_LAYOUT_KEY, initialTiles, newLayoutName, pickLayout, presetFor, readLastLayout, writeLastLayout } from './layoutStore';

const layout = (id: number, name: string, is_default = false): Layout => ({
  id,
  name,
  layout: [],
  is_default,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
});

describe('layout choices', () => {
  it('opens the remembered layout, else the default, else the first', () => {
    const list = [layout(1, 'A'), layout(2, 'B', true), layout(3, 'C')];
    expect(pickLayout(list, 3)?.id).toBe(3);
    expect(pickLayout(list, 99)?.id).toBe(2);
    expect(pickLayout(list, null)?.id).toBe(2);
    expect(pickLayout([layout(5, 'X'), layout(6, 'Y')], null)?.id).toBe(5);
    expect(pickLayout([], 1)).toBeNull();
  });

  it('names a new layout after the first free number', () => {
    expect(newLayoutName([])).toBe('Layout 1');
    expect(newLayoutName([layout(1, 'Default')])).toBe('Layout 2');
    expect(newLayoutName([layout(1, 'Default'), layout(2, 'layout 3')])).toBe('Layout 4');
  });

  it('fills a new layout with the smallest preset that holds the cameras', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 30].map(presetFor)).toEqual([1, 1, 4, 4, 9, 9, 16, 16]);
    expect(initialTiles([4, 5]).map((t) => [t.id, t.x, t.y, t.w])).toEqual([
      [4, 0, 0, 6],
      [5, 6, 0, 6],
    ]);
    expect(initialTiles([])).toEqual([]);
  });

  it('remembers the last layout in localStorage', () => {
    writeLastLayout(12);
    expect(localStorage.getItem(LAST_LAYOUT_KEY)).toBe('12');
    expect(readLastLayout()).toBe(12);
    localStorage.setItem(LAST_LAYOUT_KEY, 'junk');
    expect(readLastLayout()).toBeNull();
    writeLastLayout(null);
    expect(readLastLayout()).toBeNull();
  });
});
