// Why: pins the fragment routes — defaults, timeline parameters, junk tolerated, and a round trip.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, timelineHash } from './routes';

describe('routes', () => {
  it('defaults to the live grid', () => {
    expect(parseRoute('')).toEqual({ page: 'live' });
    expect(parseRoute('#')).toEqual({ page: 'live' });
    expect(parseRoute('#/live')).toEqual({ page: 'live' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'live' });
    expect(parseRoute('#view=grid')).toEqual({ page: 'live' });
  });

  it('reads the other pages, with or without slashes and case', () => {
    expect(parseRoute('#/cameras')).toEqual({ page: 'cameras' });
    expect(parseRoute('#alerts/')).toEqual({ page: 'alerts', alertId: null });
    expect(parseRoute('#/Alerts?x=1')).toEqual({ page: 'alerts', alertId: null });
    expect(parseRoute('#/alerts?alert=12')).toEqual({ page: 'alerts', alertId: 12 });
    expect(parseRoute('#/storage')).toEqual({ page: 'storage' });
    expect(parseRoute('#/Storage/?x=1')).toEqual({ page: 'storage' });
    expect(parseRoute('#/review')).toEqual({ page: 'review' });
    expect(parseRoute('#/system')).toEqual({ page: 'system' });
    expect(parseRoute('#/System/')).toEqual({ page: 'system' });
  });

  it('reads the timeline camera and instant, dropping values that are not integers', () => {
    expect(parseRoute('#/timeline?camera=4&at=1717236000000')).toEqual({
      page: 'timeline',
      cameraId: 4,
      at: 1717236000000,
    });
    expect(parseRoute('#/timeline')).toEqual({ page: 'timeline', cameraId: null, at: null });
    expect(parseRoute('#/timeline?camera=abc&at=1.5')).toEqual({ page: 'timeline', cameraId: null, at: null });
  });

  it('writes hashes that parse back', () => {
    expect(routeHash({ page: 'live' })).toBe('#/live');
    expect(timelineHash(3, 1000.4)).toBe('#/timeline?camera=3&at=1000');
    expect(routeHash({ page: 'timeline', cameraId: null, at: null })).toBe('#/timeline');
    for (const h of ['#/cameras', '#/review', '#/storage', '#/system', '#/alerts', '#/alerts?alert=3', '#/timeline?camera=9&at=42']) expect(routeHash(parseRoute(h))).toBe(h);
  });
});
