import { describe, expect, it } from 'vitest';
import { idleExpired, readLocked, writeLocked } from './lock';

describe('the desk lock', () => {
  it('locks after the idle minutes, never when off', () => {
    expect(idleExpired(0, 4 * 60_000, 5)).toBe(false);
    expect(idleExpired(0, 5 * 60_000, 5)).toBe(true);
    expect(idleExpired(0, 10 * 60 * 60_000, 0)).toBe(false);
  });
  it('stays locked across a reload of the tab', () => {
    writeLocked(true);
    expect(readLocked()).toBe(true);
    writeLocked(false);
    expect(readLocked()).toBe(false);
  });
});
