// Why: proves the marker tooltip closes when its marker is gone or has moved from under the pointer, survives a redraw that leaves it in place, and is closed by a leave from its own marker only.
import { describe, expect, it } from 'vitest';
import { clusterKey, closeTip, openTip, tipAfterRender, tipCluster } from './markerTip';
import type { MarkerCluster } from './markers';

const cluster = (at: number, px: number, id = 1): MarkerCluster => ({
  px,
  endPx: null,
  markers: [{ at_ms: at, kind: 'detection', label: 'person', id }],
  kind: 'detection',
  severity: null,
});

describe('marker tooltip', () => {
  it('outlives a redraw that rebuilds the same marker in place', () => {
    const tip = openTip(cluster(1000, 50), 'pointer');
    const redrawn = [cluster(1000, 50.4)];
    expect(tipAfterRender(tip, redrawn)).toBe(tip);
    expect(tipCluster(tip, redrawn)).toBe(redrawn[0]);
  });

  it('closes when the marker moved from under a resting pointer', () => {
    const tip = openTip(cluster(1000, 50), 'pointer');
    expect(tipAfterRender(tip, [cluster(1000, 80)])).toBeNull();
  });

  it('a focused marker keeps its tooltip as it moves', () => {
    const tip = openTip(cluster(1000, 50), 'focus');
    expect(tipAfterRender(tip, [cluster(1000, 80)])).toBe(tip);
  });

  it('closes when the marker is gone', () => {
    expect(tipAfterRender(openTip(cluster(1000, 50), 'pointer'), [cluster(2000, 50, 2)])).toBeNull();
  });

  it('a leave closes it by key, not by object, and only its own', () => {
    const a = cluster(1000, 50);
    const tip = openTip(a, 'pointer');
    // The leave handler of a re-rendered marker holds a new object with the same key.
    expect(closeTip(tip, clusterKey(cluster(1000, 50)))).toBeNull();
    expect(closeTip(tip, clusterKey(cluster(2000, 90, 2)))).toBe(tip);
  });
});
