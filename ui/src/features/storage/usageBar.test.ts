// Why: pins the tier bar's arithmetic — parts that always fit, the reserve marker, short of reserve, unknown sizes — and which tier is the recording one.
import { describe, expect, it } from 'vitest';
import type { TierView } from './types';
import { bytesOn, pct, recordingTier, usageBar } from './usageBar';

function tier(over: Partial<TierView> = {}): TierView {
  return {
    name: 'hot',
    path: '/data/recordings',
    online: true,
    offline_reason: null,
    used_bytes: 0,
    segments: 0,
    free_bytes: 0,
    capacity_bytes: 0,
    reserve_free_bytes: 0,
    oldest: null,
    newest: null,
    days_until_full: null,
    configured: true,
    archive: false,
    ...over,
  };
}

describe('usageBar', () => {
  it('splits the filesystem into footage, other and free, and marks the reserve', () => {
    const b = usageBar(tier({ capacity_bytes: 1000, free_bytes: 600, used_bytes: 300, reserve_free_bytes: 100 }));
    expect(b).toMatchObject({ footage: 0.3, other: 0.1, free: 0.6, otherBytes: 100, reserveAt: 0.9, short: false });
    expect(b!.footage + b!.other + b!.free).toBeCloseTo(1);
    expect(b!.usedFraction).toBeCloseTo(0.4);
  });

  it('caps footage at what the filesystem says is used', () => {
    const b = usageBar(tier({ capacity_bytes: 1000, free_bytes: 900, used_bytes: 250 }));
    expect(b).toMatchObject({ footage: 0.1, other: 0, free: 0.9, reserveAt: null });
  });

  it('is short when free space is below the reserve', () => {
    const b = usageBar(tier({ capacity_bytes: 1000, free_bytes: 50, used_bytes: 900, reserve_free_bytes: 100 }));
    expect(b?.short).toBe(true);
    expect(b?.reserveAt).toBeCloseTo(0.9);
  });

  it('clamps a reserve larger than the disk and free space larger than it', () => {
    expect(usageBar(tier({ capacity_bytes: 100, free_bytes: 500, reserve_free_bytes: 1000 }))).toMatchObject({
      free: 1,
      footage: 0,
      other: 0,
      reserveAt: 0,
    });
  });

  it('has no bar for an unknown size (an offline tier answers 0)', () => {
    expect(usageBar(tier({ online: false, capacity_bytes: 0 }))).toBeNull();
  });

  it('writes CSS percentages, clamped', () => {
    expect(pct(0.1234)).toBe('12.34%');
    expect(pct(2)).toBe('100.00%');
    expect(pct(-1)).toBe('0.00%');
  });
});

describe('recordingTier', () => {
  const tiers = [tier({ name: 'old', configured: false }), tier({ name: 'ssd', days_until_full: 3 }), tier({ name: 'hdd' })];
  it('is the first configured tier', () => {
    expect(recordingTier({ tiers, settings: { tiers: [{ name: 'ssd' }, { name: 'hdd' }] } })?.name).toBe('ssd');
  });
  it('is hot when nothing is configured', () => {
    expect(recordingTier({ tiers: [tier({ name: 'hot' })], settings: { tiers: [] } })?.name).toBe('hot');
  });
  it('falls back to the tier with a days-until-full, then the first', () => {
    expect(recordingTier({ tiers, settings: { tiers: [{ name: 'gone' }] } })?.name).toBe('ssd');
    expect(recordingTier({ tiers: [tier({ name: 'a' })], settings: { tiers: [{ name: 'b' }] } })?.name).toBe('a');
    expect(recordingTier({ tiers: [], settings: { tiers: [] } })).toBeNull();
  });
});

describe('bytesOn', () => {
  it('reads a number from the untyped map', () => {
    expect(bytesOn({ hot: 12, warm: 'x' }, 'hot')).toBe(12);
    expect(bytesOn({ hot: 12, warm: 'x' }, 'warm')).toBe(0);
    expect(bytesOn({}, 'cold')).toBe(0);
  });
});
