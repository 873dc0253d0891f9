import { describe, expect, it } from 'vitest';
import { PAGE_NEEDS, pageAllowed } from './permissions';

describe('pageAllowed', () => {
  it('shows only what every role may use until the permissions are known', () => {
    expect(pageAllowed('live', null)).toEqual({ ok: true });
    expect(pageAllowed('users', null)).toEqual({ ok: false, need: 'admin' });
    expect(pageAllowed('cameras', null).ok).toBe(false);
  });
  it('admin grants every page', () => {
    for (const page of Object.keys(PAGE_NEEDS) as (keyof typeof PAGE_NEEDS)[]) {
      expect(pageAllowed(page, ['admin']).ok).toBe(true);
    }
  });
  it('an operator watches, reviews and acknowledges but does not administer', () => {
    const op = ['camera:read', 'stream:view', 'recording:read', 'recording:export', 'alert:ack', 'bookmark:write', 'footage:lock'] as const;
    expect(pageAllowed('live', op).ok).toBe(true);
    expect(pageAllowed('review', op).ok).toBe(true);
    expect(pageAllowed('users', op)).toEqual({ ok: false, need: 'admin' });
    expect(pageAllowed('storage', op)).toEqual({ ok: false, need: 'storage:admin' });
    expect(pageAllowed('cameras', op)).toEqual({ ok: false, need: 'camera:write' });
  });
});
