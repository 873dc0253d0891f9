// Why: pins what a Keep locks (padded, whole seconds), when footage counts as kept (merged locks of that camera cover it), reasons the server accepts, and the keep-a-span form's checks.
import { describe, expect, it } from 'vitest';
import { checkSpanForm, cleanReason, fromLocalInput, isKept, keepSpan, lockedSpans, locksOver, toLocalInput } from './locks';
import type { Lock } from './types';

function lock(id: number, cameraId: number, startMs: number, endMs: number): Lock {
  return {
    id,
    camera_id: cameraId,
    start_ms: startMs,
    end_ms: endMs,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    reason: `lock ${id}`,
    created_at: '2025-06-01T00:00:00.000Z',
  };
}

describe('keepSpan', () => {
  it('pads a moment by 30 s either side, on whole seconds', () => {
    expect(keepSpan(100_500)).toEqual({ startMs: 70_000, endMs: 131_000 });
  });
  it('pads an event from its start to its end, ignoring an end before the start', () => {
    expect(keepSpan(100_000, 160_000)).toEqual({ startMs: 70_000, endMs: 190_000 });
    expect(keepSpan(100_000, 50_000)).toEqual({ startMs: 70_000, endMs: 130_000 });
    expect(keepSpan(100_000, null, 0)).toEqual({ startMs: 100_000, endMs: 100_000 });
  });
});

describe('kept footage', () => {
  const locks = [lock(1, 1, 0, 100), lock(2, 1, 100, 200), lock(3, 1, 300, 400), lock(4, 2, 0, 1000), lock(5, 1, 50, 60)];

  it('merges a camera’s touching and overlapping locks', () => {
    expect(lockedSpans(locks, 1)).toEqual([
      { startMs: 0, endMs: 200 },
      { startMs: 300, endMs: 400 },
    ]);
    expect(lockedSpans(locks, 9)).toEqual([]);
  });

  it('is kept when merged locks cover the whole span, of that camera only', () => {
    expect(isKept(locks, 1, { startMs: 50, endMs: 150 })).toBe(true);
    expect(isKept(locks, 1, { startMs: 150, endMs: 350 })).toBe(false);
    expect(isKept(locks, 1, { startMs: 350, endMs: 350 })).toBe(true);
    expect(isKept(locks, 1, { startMs: 500, endMs: 500 })).toBe(false);
    expect(isKept(locks, 2, { startMs: 150, endMs: 350 })).toBe(true);
    // A span given the wrong way round is the same span.
    expect(isKept(locks, 1, { startMs: 150, endMs: 50 })).toBe(true);
  });

  it('lists the locks overlapping a span', () => {
    expect(locksOver(locks, 1, { startMs: 90, endMs: 310 }).map((l) => l.id)).toEqual([1, 2, 3]);
  });
});

describe('cleanReason', () => {
  it('drops control characters, trims, caps at 200 and never sends a blank', () => {
    expect(cleanReason('  Person at gate\n(2)\t ')).toBe('Person at gate (2)');
    expect(cleanReason('   ')).toBe('Kept');
    expect(cleanReason('x'.repeat(300))).toHaveLength(200);
  });
});

describe('local date-time inputs', () => {
  it('round-trips epoch ms to the second in local time', () => {
    const ms = new Date(2025, 5, 1, 9, 8, 7).getTime();
    expect(toLocalInput(ms)).toBe('2025-06-01T09:08:07');
    expect(fromLocalInput('2025-06-01T09:08:07')).toBe(ms);
    expect(fromLocalInput('2025-06-01T09:08')).toBe(ms - 7000);
  });
  it('refuses what is not a date and time', () => {
    for (const bad of ['', '2025-06-01', '2025-02-30T10:00', 'yesterday', '2025-06-01 10:00']) {
      expect(fromLocalInput(bad), bad).toBeNull();
    }
  });
});

describe('checkSpanForm', () => {
  it('names each missing or wrong field with the API’s keys', () => {
    const r = checkSpanForm({ cameraId: '', start: '', end: '2025-06-01T10:00', reason: '' });
    expect(r).toEqual({ ok: false, errors: { camera_id: 'choose a camera', start: 'is required: a date and time' } });
    const back = checkSpanForm({ cameraId: '3', start: '2025-06-01T10:00', end: '2025-06-01T09:00', reason: '' });
    expect(back).toEqual({ ok: false, errors: { end: 'must be after the start' } });
  });
  it('gives the body to send', () => {
    const r = checkSpanForm({ cameraId: '3', start: '2025-06-01T10:00', end: '2025-06-01T10:05:30', reason: ' incident ' });
    expect(r).toEqual({
      ok: true,
      body: {
        camera_id: 3,
        start: new Date(2025, 5, 1, 10, 0).getTime(),
        end: new Date(2025, 5, 1, 10, 5, 30).getTime(),
        reason: 'incident',
      },
    });
  });
});
