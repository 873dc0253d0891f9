// Why: proves detection settings survive the round trip through the form, local checks match the server's keys, and zone editing works in frame fractions.
import { describe, expect, it } from 'vitest';
import {
  addPoint,
  formFromSettings,
  hitVertex,
  movePoint,
  parseLabels,
  placeErrors,
  pointerToPoint,
  removePoint,
  settingsFromForm,
  svgPoints,
  validateDetection,
} from './detectionSettings';
import type { DetectionSettings, Zone } from './detectionSettings';

const DOC: DetectionSettings = {
  substream_url: 'rtsp://192.0.2.10/stream2',
  filter: {
    labels: ['person', 'car'],
    min_score: 0.5,
    min_area: 0.001,
    max_area: 0.8,
    anchor: 'bottom_center',
    zones: [
      { name: 'driveway', mode: 'include', polygon: [[0.1, 0.5], [0.9, 0.5], [0.9, 1], [0.1, 1]] },
      { name: 'street', mode: 'exclude', polygon: [[0, 0], [1, 0], [1, 0.3], [0, 0.3]] },
    ],
  },
};

describe('settings ⇄ form', () => {
  it('round-trips the documented example', () => {
    expect(settingsFromForm(formFromSettings(DOC))).toEqual(DOC);
  });

  it('fills defaults for a camera never configured and keeps unknown filter keys', () => {
    const f = formFromSettings({ filter: { masks: [1] } });
    expect(f).toMatchObject({ substream_url: '', labels: '', min_score: '0', min_area: '0', max_area: '1', anchor: 'bottom_center', zones: [] });
    expect(settingsFromForm(f)).toEqual({
      substream_url: null,
      filter: { masks: [1], labels: [], min_score: 0, min_area: 0, max_area: 1, anchor: 'bottom_center', zones: [] },
    });
  });

  it('cleans labels and names unnamed zones', () => {
    expect(parseLabels(' Person, car,,person\ndog ')).toEqual(['person', 'car', 'dog']);
    const f = { ...formFromSettings({}), zones: [{ name: ' ', mode: 'include' as const, polygon: [[0, 0], [1, 0], [1, 1]] as Zone['polygon'] }] };
    expect(settingsFromForm(f).filter?.zones?.[0]?.name).toBe('zone 1');
  });
});

describe('validateDetection', () => {
  it('uses the server field keys', () => {
    const f = {
      ...formFromSettings(DOC),
      min_score: '1.5',
      min_area: '0.5',
      max_area: '0.2',
      substream_url: 'http://cam/2',
      zones: [{ name: 'a', mode: 'include' as const, polygon: [[0, 0], [1, 1]] as Zone['polygon'] }],
    };
    expect(validateDetection(f)).toEqual({
      'filter.min_score': 'must be between 0 and 1',
      'filter.max_area': 'must not be below min_area',
      substream_url: 'must be an rtsp:// URL',
      'filter.zones[0].polygon': 'needs at least 3 points',
    });
    expect(validateDetection({ ...formFromSettings(DOC), substream_url: 'rtsp://u:p@cam/2' }).substream_url).toContain('credentials');
    expect(validateDetection(formFromSettings(DOC))).toEqual({});
  });

  it('puts zone errors on the zone row', () => {
    expect(placeErrors({ 'filter.zones[1].polygon': 'needs at least 3 points', 'filter.zones[1]': 'x', substream_url: 'bad' })).toEqual({
      'zone-1': 'needs at least 3 points; x',
      substream_url: 'bad',
    });
  });
});

describe('zone editing', () => {
  const rect = { left: 100, top: 50, width: 400, height: 200 };
  it('turns pointer positions into clamped frame fractions', () => {
    expect(pointerToPoint(300, 150, rect)).toEqual([0.5, 0.5]);
    expect(pointerToPoint(0, 1000, rect)).toEqual([0, 1]);
    expect(pointerToPoint(133.333, 50, rect)).toEqual([0.0833, 0]);
  });

  it('adds, moves and removes points and finds the vertex under the pointer', () => {
    let zones: Zone[] = [{ name: 'a', mode: 'include', polygon: [] }];
    zones = addPoint(zones, 0, [0.1, 0.1]);
    zones = addPoint(zones, 0, [0.5, 0.1]);
    zones = addPoint(zones, 0, [0.5, 0.5]);
    expect(svgPoints(zones[0]!.polygon)).toBe('0.1,0.1 0.5,0.1 0.5,0.5');
    // 400x200 px picture: (0.51, 0.12) is 4 px and 4 px from (0.5, 0.1).
    expect(hitVertex(zones, [0.51, 0.12], 400, 200)).toEqual({ zone: 0, index: 1 });
    expect(hitVertex(zones, [0.3, 0.3], 400, 200)).toBeNull();
    zones = movePoint(zones, 0, 1, [0.6, 0.2]);
    expect(zones[0]!.polygon[1]).toEqual([0.6, 0.2]);
    zones = removePoint(zones, 0, 0);
    expect(zones[0]!.polygon).toEqual([[0.6, 0.2], [0.5, 0.5]]);
  });
});
