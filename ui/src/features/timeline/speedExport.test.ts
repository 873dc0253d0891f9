// Why: proves speeds above the browser's playbackRate limit still advance wall time at the chosen rate, and the export state never goes backwards or mixes jobs.
import { describe, expect, it } from 'vitest';
import { event } from '../../test/fixtures';
import { IDLE, applyDoneJob, applyExportEvent, applyJob, exportFileName, exportResultText, exportedMs, formatBytes, fromJob } from './exportState';
import type { ExportState } from './exportState';
import { SPEEDS, maxNativeRate, speedPlan, stepSpeed } from './speed';
import type { ExportJob } from './types';

describe('speedPlan', () => {
  it('uses playbackRate alone when the browser allows the speed', () => {
    for (const s of SPEEDS) expect(speedPlan(s, 16)).toEqual({ native: s, stepSeconds: 0, tickMs: 500 });
  });

  it('steps by seeking for the rest above the limit', () => {
    const p = speedPlan(16, 4, 500);
    expect(p.native).toBe(4);
    // Per second of real time: 4 s played + 2 ticks × 6 s seeked = 16 s.
    expect(p.native + (p.stepSeconds * 1000) / p.tickMs).toBe(16);
  });

  it('finds the highest rate an element accepts', () => {
    class Capped {
      private r = 1;
      get playbackRate() {
        return this.r;
      }
      set playbackRate(v: number) {
        if (v > 4) throw new DOMException('too fast', 'NotSupportedError');
        this.r = v;
      }
    }
    const el = new Capped();
    el.playbackRate = 2;
    expect(maxNativeRate(el)).toBe(4);
    expect(el.playbackRate).toBe(2);
    const clamps = { _r: 1, get playbackRate() { return this._r; }, set playbackRate(v: number) { this._r = Math.min(v, 8); } };
    expect(maxNativeRate(clamps)).toBe(8);
  });

  it('steps through the list', () => {
    expect(stepSpeed(1, 1)).toBe(2);
    expect(stepSpeed(16, 1)).toBe(16);
    expect(stepSpeed(0.5, -1)).toBe(0.5);
    expect(stepSpeed(3, -1)).toBe(2);
  });
});

const job = (over: Partial<ExportJob> = {}): ExportJob => ({
  id: 4,
  camera_id: 1,
  start_ms: 1000,
  end_ms: 61_000,
  status: 'running',
  progress: 0.2,
  error: null,
  bytes: null,
  download_url: null,
  ...over,
});

describe('export state', () => {
  const running: ExportState = fromJob(job());

  it('follows a job from start to download', () => {
    const starting: ExportState = { phase: 'starting', startMs: 1000, endMs: 61_000 };
    expect(applyJob(starting, job())).toEqual({ phase: 'running', id: 4, startMs: 1000, endMs: 61_000, progress: 0.2 });
    const done = applyJob(running, job({ status: 'done', progress: 1, bytes: 2048, download_url: '/api/v1/exports/4/file' }));
    expect(done).toEqual({
      phase: 'done',
      id: 4,
      startMs: 1000,
      endMs: 61_000,
      bytes: 2048,
      downloadPath: '/api/v1/exports/4/file',
      clipStartMs: null,
      clipEndMs: null,
    });
  });

  it('learns what the file holds from the finished job', () => {
    const done = applyExportEvent(running, event('export:done', { camera_id: 1, export_id: 4, bytes: 10 }));
    expect(exportedMs(done)).toBeNull();
    const full = applyDoneJob(done, job({ status: 'done', progress: 1, bytes: 10, clip_start_ms: 900, clip_end_ms: 40_900 }));
    expect(full).toMatchObject({ clipStartMs: 900, clipEndMs: 40_900 });
    expect(exportedMs(full)).toBe(40_000);
    const utc = () => 0;
    expect(exportResultText(full, utc)).toBe('Exported 40 s of video, 00:00:00 – 00:00:40 (1 min selected).');
    expect(exportResultText(done, utc)).toBeNull();
    // Another job's answer changes nothing.
    expect(applyDoneJob(done, job({ id: 5, status: 'done', clip_start_ms: 1, clip_end_ms: 2 }))).toBe(done);
  });

  it('ignores stale polls and other jobs', () => {
    const later = applyExportEvent(running, event('export:progress', { camera_id: 1, export_id: 4, progress: 0.6 }));
    expect(later).toMatchObject({ progress: 0.6 });
    expect(applyJob(later, job({ progress: 0.4 }))).toBe(later);
    expect(applyJob(later, job({ id: 5, progress: 0.9 }))).toBe(later);
    expect(applyExportEvent(later, event('export:done', { camera_id: 1, export_id: 5, bytes: null }))).toBe(later);
    expect(applyExportEvent(IDLE, event('export:done', { camera_id: 1, export_id: 4, bytes: null }))).toBe(IDLE);
    expect(applyExportEvent(later, event('recording:deleted', { camera_id: 1, recording_id: 4 }))).toBe(later);
  });

  it('finishes or fails from events', () => {
    expect(applyExportEvent(running, event('export:done', { camera_id: 1, export_id: 4, bytes: 10 }))).toMatchObject({
      phase: 'done',
      bytes: 10,
      downloadPath: '/api/v1/exports/4/file',
    });
    expect(applyExportEvent(running, event('export:failed', { camera_id: 1, export_id: 4, error: 'disk full' }))).toEqual({
      phase: 'failed',
      id: 4,
      error: 'disk full',
    });
    expect(fromJob(job({ status: 'failed', error: '' }))).toEqual({ phase: 'failed', id: 4, error: 'the export failed' });
  });

  it('formats sizes and file names', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
    expect(formatBytes(null)).toBe('');
    expect(exportFileName(3, Date.UTC(2025, 0, 2, 10, 20, 30), 0)).toBe('camera-3-2025-01-02T10-20-30.mp4');
  });
});
