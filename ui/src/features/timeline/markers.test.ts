// Why: proves previous/next event navigation, bookmark merging and marker clustering behave like a player's should.
import { describe, expect, it } from 'vitest';
import { adjacentMarker, bookmarkToMarker, clusterMarkers, markerTitle, mergeMarkers, toMs } from './markers';
import type { TimelineMarker } from './types';

const m = (at: number, kind = 'detection', id = at, extra: Partial<TimelineMarker> = {}): TimelineMarker => ({
  at_ms: at,
  kind,
  label: `${kind}-${id}`,
  id,
  ...extra,
});

describe('adjacentMarker', () => {
  const list = [m(10_000), m(20_000, 'alert'), m(30_000, 'bookmark')];

  it('goes to the next marker after the playhead, skipping the one it is on', () => {
    expect(adjacentMarker(list, 0, 'next')?.at_ms).toBe(10_000);
    expect(adjacentMarker(list, 10_000, 'next')?.at_ms).toBe(20_000);
    expect(adjacentMarker(list, 10_100, 'next')?.at_ms).toBe(20_000);
    expect(adjacentMarker(list, 30_000, 'next')).toBeNull();
  });

  it('goes back past a marker just played through', () => {
    expect(adjacentMarker(list, 25_000, 'prev')?.at_ms).toBe(20_000);
    // 1 s after a marker: "previous" means the one before it.
    expect(adjacentMarker(list, 21_000, 'prev')?.at_ms).toBe(10_000);
    expect(adjacentMarker(list, 10_000, 'prev')).toBeNull();
  });

  it('can be limited to kinds', () => {
    expect(adjacentMarker(list, 0, 'next', { kinds: new Set(['bookmark']) })?.at_ms).toBe(30_000);
  });
});

describe('bookmarks', () => {
  it('reads instants as ms or RFC 3339', () => {
    expect(toMs(5)).toBe(5);
    expect(toMs('1700000000000')).toBe(1_700_000_000_000);
    expect(toMs('2025-01-01T00:00:01.500Z')).toBe(Date.UTC(2025, 0, 1) + 1500);
    expect(toMs('soon')).toBeNull();
    expect(toMs(null)).toBeNull();
  });

  it('merges local bookmarks without duplicates and hides deleted ones', () => {
    const base = { camera_id: 1, created_at: '2025-01-01T00:00:00Z', created_by: 'desk', end: null, end_ms: null };
    const b = bookmarkToMarker({ ...base, id: 7, at: '2025-01-01T00:00:00Z', at_ms: Date.UTC(2025, 0, 1), label: 'door' })!;
    expect(bookmarkToMarker({ ...base, id: 8, at: 'x', at_ms: 5, end_ms: 9, label: '' })).toMatchObject({ at_ms: 5, end_ms: 9 });
    expect(b).toMatchObject({ kind: 'bookmark', id: 7, at_ms: Date.UTC(2025, 0, 1), label: 'door' });
    const fromServer = [m(Date.UTC(2025, 0, 1), 'bookmark', 7), m(5)];
    const merged = mergeMarkers(fromServer, [b, m(1, 'bookmark', 8)]);
    expect(merged.map((x) => `${x.kind}:${x.id}`)).toEqual(['bookmark:8', 'detection:5', 'bookmark:7']);
    expect(mergeMarkers(fromServer, [b], new Set([7])).map((x) => x.id)).toEqual([5]);
  });

  it('names markers', () => {
    expect(markerTitle(m(0, 'alert', 1, { severity: 'critical', label: 'offline' }))).toBe('Alert (critical): offline');
    expect(markerTitle(m(0, 'bookmark', 1, { label: '' }))).toBe('Bookmark: (no label)');
  });
});

describe('clusterMarkers', () => {
  const view = { startMs: 0, endMs: 100_000 };

  it('groups markers closer than a few pixels and ranks what is drawn', () => {
    const c = clusterMarkers(
      [m(10_000), m(10_500, 'alert', 2, { severity: 'warning' }), m(11_000, 'alert', 3, { severity: 'critical' }), m(50_000, 'bookmark')],
      view,
      1000,
      8,
    );
    expect(c).toHaveLength(2);
    expect(c[0]?.markers).toHaveLength(3);
    expect(c[0]?.kind).toBe('alert');
    expect(c[0]?.severity).toBe('critical');
    expect(c[0]?.px).toBeCloseTo(105, 6);
    expect(c[1]?.kind).toBe('bookmark');
  });

  it('keeps markers apart when zoomed in, drops those outside, and measures durations', () => {
    const c = clusterMarkers([m(10_000, 'detection', 1, { end_ms: 20_000 }), m(10_500), m(200_000)], { startMs: 9_000, endMs: 12_000 }, 1000, 8);
    expect(c).toHaveLength(2);
    expect(c[0]?.endPx).toBeCloseTo((11_000 / 3000) * 1000, 6);
    // A detection that started before the view but lasts into it is kept.
    expect(clusterMarkers([m(1_000, 'detection', 1, { end_ms: 9_500 })], { startMs: 9_000, endMs: 12_000 }, 1000)).toHaveLength(1);
  });
});
