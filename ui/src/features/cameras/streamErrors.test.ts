// Why: proves the page fetches a camera's last error once as it turns to error, again only when it fails anew after a
// pause (not on every error ⇄ reconnecting flap), and forgets errors of cameras that run again.
import { describe, expect, it } from 'vitest';
import { REFETCH_MS, keepErrors, toFetch } from './streamErrors';
import type { FetchLog } from './streamErrors';

const cam = (id: number, status: string) => ({ id, status }) as { id: number; status: 'error' };

describe('toFetch', () => {
  it('fetches a camera as it turns to error, and not while it only retries', () => {
    let step = toFetch([cam(1, 'error'), cam(2, 'running')], new Map(), 0);
    expect(step.fetch).toEqual([1]);
    step = toFetch([cam(1, 'reconnecting')], step.log, 1_000);
    expect(step.fetch).toEqual([]);
    // Back to error soon: not yet.
    step = toFetch([cam(1, 'error')], step.log, 2_000);
    expect(step.fetch).toEqual([]);
    step = toFetch([cam(1, 'reconnecting')], step.log, 5_000);
    // Back to error after the pause: a new attempt failed, maybe differently.
    step = toFetch([cam(1, 'error')], step.log, REFETCH_MS + 1);
    expect(step.fetch).toEqual([1]);
  });

  it('forgets a camera that runs again, so its next failure is fetched at once', () => {
    let step = toFetch([cam(1, 'error')], new Map(), 0);
    step = toFetch([cam(1, 'running')], step.log, 100);
    expect(step.log.size).toBe(0);
    step = toFetch([cam(1, 'error')], step.log, 200);
    expect(step.fetch).toEqual([1]);
  });

  it('fetches a camera first seen reconnecting', () => {
    const log: FetchLog = new Map();
    expect(toFetch([cam(4, 'reconnecting')], log, 0).fetch).toEqual([4]);
  });
});

describe('keepErrors', () => {
  it('keeps errors of failing cameras only, and the same map when nothing goes', () => {
    const errors = new Map([
      [1, { code: 'SOURCE_NOT_FOUND', message: '404' }],
      [2, { code: 'SOURCE_UNREACHABLE', message: 'refused' }],
    ]);
    expect(keepErrors(errors, [cam(1, 'error'), cam(2, 'reconnecting')])).toBe(errors);
    expect([...keepErrors(errors, [cam(1, 'error'), cam(2, 'running')]).keys()]).toEqual([1]);
  });
});
