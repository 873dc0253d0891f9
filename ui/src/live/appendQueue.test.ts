// Why: proves the SourceBuffer feed keeps arrival order, never touches a busy buffer, and survives a throwing append.
import { describe, expect, it, vi } from 'vitest';
import { FakeSourceBuffer } from '../test/liveFakes';
import { AppendQueue } from './appendQueue';

const bytes = (...b: number[]) => new Uint8Array(b).buffer;

describe('AppendQueue', () => {
  it('holds what arrives before the SourceBuffer exists and appends it first, in order', () => {
    const q = new AppendQueue();
    q.append(bytes(1)); // init segment
    q.append(bytes(2));
    q.append(bytes(3));
    expect(q.length).toBe(3);
    expect(q.pendingBytes).toBe(3);
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    expect(sb.log).toEqual([[1]]);
    sb.drain();
    q.append(bytes(4));
    sb.drain();
    expect(sb.log).toEqual([[1], [2], [3], [4]]);
    expect(sb.violations).toBe(0);
    expect(q.pendingBytes).toBe(0);
  });

  it('never appends while the buffer is updating, even when data arrives mid-update', () => {
    const q = new AppendQueue();
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    q.append(bytes(1));
    expect(sb.updating).toBe(true);
    for (let i = 2; i <= 20; i++) q.append(bytes(i));
    expect(sb.log).toHaveLength(1);
    expect(q.length).toBe(19);
    sb.finish();
    expect(sb.log).toHaveLength(2);
    sb.drain();
    expect(sb.log.map((x) => (x as number[])[0])).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(sb.violations).toBe(0);
  });

  it('does not start while the buffer is busy with an update it did not start', () => {
    const q = new AppendQueue();
    const sb = new FakeSourceBuffer('video/mp4');
    sb.updating = true; // e.g. a remove still running from a previous owner
    q.attach(sb);
    q.append(bytes(9));
    expect(sb.log).toEqual([]);
    sb.finish();
    expect(sb.log).toEqual([[9]]);
    expect(sb.violations).toBe(0);
  });

  it('runs a remove after the appends queued before it, and merges back-to-back removes', () => {
    const q = new AppendQueue();
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    q.append(bytes(1));
    q.append(bytes(2));
    q.remove(0, 10);
    q.remove(5, 20);
    q.append(bytes(3));
    q.remove(30, 30); // empty: ignored
    sb.drain();
    expect(sb.log).toEqual([[1], [2], { remove: [0, 20] }, [3]]);
  });

  it('reports an append that throws and goes on with the next one', () => {
    const onError = vi.fn();
    const q = new AppendQueue({ onError });
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    sb.throwNext = new DOMException('full', 'QuotaExceededError');
    q.append(bytes(1));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].name).toBe('QuotaExceededError');
    expect(onError.mock.calls[0]![1]).toMatchObject({ kind: 'append' });
    q.append(bytes(2));
    expect(sb.log).toEqual([[2]]);
  });

  it('drops the backlog and says so when too much is waiting', () => {
    const onOverflow = vi.fn();
    const q = new AppendQueue({ maxPendingBytes: 4, onOverflow });
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    q.append(bytes(1, 1)); // in flight: not pending
    q.append(bytes(2, 2));
    q.append(bytes(3, 3));
    expect(onOverflow).not.toHaveBeenCalled();
    q.append(bytes(4));
    expect(onOverflow).toHaveBeenCalledWith(5);
    expect(q.length).toBe(0);
    sb.drain();
    expect(sb.log).toEqual([[1, 1]]);
  });

  it('after close, ignores new data and the buffer it let go of', () => {
    const q = new AppendQueue();
    const sb = new FakeSourceBuffer('video/mp4');
    q.attach(sb);
    q.append(bytes(1));
    q.append(bytes(2));
    q.close();
    expect(sb.count('updateend')).toBe(0);
    sb.finish();
    q.append(bytes(3));
    expect(sb.log).toEqual([[1]]);
  });
});
