// Why: pins the Review page's query, clip windows, zone options and keyboard moves.
import { describe, expect, it } from 'vitest';
import { alertFixture } from '../../test/fixtures';
import {
  CLIP_LEAD_MS,
  CLIP_MAX_MS,
  CLIP_TAIL_MS,
  REVIEW_FILTER,
  clipWindow,
  incidentZones,
  moveSelection,
  reviewKeyAction,
  reviewQuery,
  zoneOptions,
} from './reviewState';

const T = Date.parse('2026-12-04T09:00:00.000Z');
const incident = (over = {}) =>
  alertFixture({ id: 1, type: 'detection', severity: 'warning', camera_id: 2, created_at: new Date(T).toISOString(), ...over });

describe('reviewQuery', () => {
  it('asks for unreviewed detection incidents by default', () => {
    expect(reviewQuery(REVIEW_FILTER, T, 36)).toEqual({ type: 'detection', limit: 36, acknowledged: false });
  });
  it('carries camera, label, zone, time and reviewed state', () => {
    expect(
      reviewQuery({ ...REVIEW_FILTER, cameraId: 4, label: 'person', zone: 'gate', range: '1h', state: 'reviewed' }, T, 10),
    ).toEqual({ type: 'detection', limit: 10, camera_id: 4, label: 'person', zone: 'gate', acknowledged: true, since: String(T - 3_600_000) });
    expect(reviewQuery({ ...REVIEW_FILTER, state: 'all' }, T).acknowledged).toBeUndefined();
  });
});

describe('clipWindow', () => {
  it('plays an ended incident with a lead and a tail', () => {
    const w = clipWindow(incident({ ended_at: new Date(T + 40_000).toISOString(), last_at: new Date(T + 30_000).toISOString() }));
    expect(w).toEqual({ cameraId: 2, startMs: T - CLIP_LEAD_MS, endMs: T + 40_000 + CLIP_TAIL_MS });
  });
  it('plays an incident going on up to its last activity, or now without one', () => {
    expect(clipWindow(incident({ last_at: new Date(T + 12_000).toISOString() }), T + 50_000)?.endMs).toBe(T + 12_000 + CLIP_TAIL_MS);
    expect(clipWindow(incident(), T + 20_000)?.endMs).toBe(T + 20_000 + CLIP_TAIL_MS);
  });
  it('never runs past the longest clip, and needs a camera and a time', () => {
    const w = clipWindow(incident({ ended_at: new Date(T + 3_600_000).toISOString() }));
    expect(w && w.endMs - w.startMs).toBe(CLIP_MAX_MS);
    expect(clipWindow(incident({ camera_id: null }))).toBeNull();
    expect(clipWindow(incident({ created_at: 'yesterday' }))).toBeNull();
  });
});

describe('zones', () => {
  it('reads zones from the details and offers each once, sorted, with the selected one', () => {
    expect(incidentZones(incident({ details: { zones: ['gate', 3, 'door'] } }))).toEqual(['gate', 'door']);
    expect(incidentZones(incident({ details: {} }))).toEqual([]);
    const opts = zoneOptions([incident({ details: { zones: ['gate'] } }), incident({ details: { zones: ['door', 'gate'] } })], 'yard');
    expect(opts).toEqual(['door', 'gate', 'yard']);
  });
});

describe('keyboard', () => {
  const ids = [10, 11, 12, 13, 14, 15, 16];
  it('moves by one with j/k, by a row with the arrows, and stops at the ends', () => {
    expect(moveSelection(ids, null, 'next', 3)).toBe(10);
    expect(moveSelection(ids, null, 'last', 3)).toBe(16);
    expect(moveSelection(ids, 10, 'next', 3)).toBe(11);
    expect(moveSelection(ids, 10, 'prev', 3)).toBe(10);
    expect(moveSelection(ids, 11, 'down', 3)).toBe(14);
    expect(moveSelection(ids, 15, 'down', 3)).toBe(16);
    expect(moveSelection(ids, 14, 'up', 3)).toBe(11);
    expect(moveSelection(ids, 14, 'first', 3)).toBe(10);
    expect(moveSelection(ids, 99, 'next', 3)).toBe(10);
    expect(moveSelection([], 1, 'next', 3)).toBeNull();
  });
  it('maps keys to actions', () => {
    expect(reviewKeyAction('j')).toEqual({ move: 'next' });
    expect(reviewKeyAction('k')).toEqual({ move: 'prev' });
    expect(reviewKeyAction(' ')).toEqual({ toggle: true });
    expect(reviewKeyAction('r')).toEqual({ review: true });
    expect(reviewKeyAction('Escape')).toEqual({ close: true });
    expect(reviewKeyAction('x')).toBeNull();
  });
});
