// Why: proves storage events refresh the Storage queries once per burst (a pass sends one per segment), at once for a tier going on- or offline, and that other events leave them alone.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventListener } from '../../api/events';
import { event } from '../../test/fixtures';
import { isStorageEvent, refreshOnStorageEvents, storageKeys } from './useStorage';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  let listener: EventListener | null = null;
  const events = {
    subscribe: (l: EventListener) => {
      listener = l;
      return () => (listener = null);
    },
  };
  const qc = { invalidateQueries: vi.fn(async () => {}) };
  const stop = refreshOnStorageEvents(events, qc, 1000);
  return { emit: (ev: Parameters<EventListener>[0]) => listener?.(ev), qc, stop, live: () => listener !== null };
}

describe('refreshOnStorageEvents', () => {
  it('coalesces a burst of moves into one refresh', () => {
    const { emit, qc } = setup();
    for (let i = 0; i < 100; i++) {
      emit(event('storage:moved', { camera_id: 1, recording_id: i, from_tier: 'hot', to_tier: 'warm', bytes: 10, reason: 'age' }));
    }
    expect(qc.invalidateQueries).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(1);
    expect(qc.invalidateQueries).toHaveBeenCalledWith({ queryKey: storageKeys.all });
    emit(event('storage:deleted', { camera_id: 1, recording_id: 1, tier: 'warm', bytes: 10, reason: 'free_space' }));
    vi.advanceTimersByTime(1000);
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(2);
  });

  it('refreshes at once when a tier goes offline or comes back', () => {
    const { emit, qc } = setup();
    emit(event('storage:moved', { camera_id: 1, recording_id: 1, from_tier: 'hot', to_tier: 'warm', bytes: 10, reason: 'age' }));
    emit(event('storage:tier_offline', { tier: 'nas', reason: 'identity file missing' }));
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(1);
    // The pending refresh was folded into it.
    vi.advanceTimersByTime(5000);
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(1);
    emit(event('storage:tier_online', { tier: 'nas' }));
    expect(qc.invalidateQueries).toHaveBeenCalledTimes(2);
  });

  it('ignores other events and stops when unsubscribed', () => {
    const { emit, qc, stop, live } = setup();
    emit(event('layout:saved', { layout_id: 1, owner: 'admin' }));
    emit(event('storage:moved', { camera_id: 1, recording_id: 1, from_tier: 'hot', to_tier: 'warm', bytes: 10, reason: 'age' }));
    stop();
    vi.advanceTimersByTime(5000);
    expect(qc.invalidateQueries).not.toHaveBeenCalled();
    expect(live()).toBe(false);
  });

  it('knows which events are about storage', () => {
    expect(isStorageEvent(event('recording:deleted', { camera_id: 1, recording_id: 3 }))).toBe(true);
    expect(isStorageEvent(event('recording:started', { camera_id: 1, recording_id: 3, start: '' }))).toBe(false);
  });
});
