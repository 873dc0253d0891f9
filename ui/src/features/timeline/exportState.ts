// Why: the export button's state from job polls and export:* events, as a pure reducer so progress never goes backwards or mixes jobs.
import type { VigilEvent } from '../../api/types';
import { formatDuration, localOffset, preciseLabel } from './timeMath';
import type { OffsetFn } from './timeMath';
import type { ExportJob } from './types';

export type ExportState =
  | { phase: 'idle' }
  | { phase: 'starting'; startMs: number; endMs: number }
  | { phase: 'running'; id: number; startMs: number; endMs: number; progress: number }
  | {
      phase: 'done';
      id: number;
      startMs: number;
      endMs: number;
      bytes: number | null;
      downloadPath: string;
      /** What the file holds (first and last frame, wall ms), once the job says; null until then. */
      clipStartMs: number | null;
      clipEndMs: number | null;
    }
  | { phase: 'failed'; id: number | null; error: string };

export const IDLE: ExportState = { phase: 'idle' };

/** State from a job as `POST /exports` or `GET /exports/{id}` returns it. */
export function fromJob(job: ExportJob): ExportState {
  const base = { id: job.id, startMs: job.start_ms, endMs: job.end_ms };
  if (job.status === 'done') {
    return {
      phase: 'done',
      ...base,
      bytes: job.bytes ?? null,
      downloadPath: job.download_url ?? `/api/v1/exports/${job.id}/file`,
      clipStartMs: job.clip_start_ms ?? null,
      clipEndMs: job.clip_end_ms ?? null,
    };
  }
  if (job.status === 'failed') return { phase: 'failed', id: job.id, error: job.error || 'the export failed' };
  return { phase: 'running', ...base, progress: Math.max(0, Math.min(1, job.progress || 0)) };
}

/** Apply a fresher job snapshot: ignored for another job, and progress never moves back. */
export function applyJob(state: ExportState, job: ExportJob): ExportState {
  if (state.phase === 'starting') return fromJob(job);
  if (state.phase !== 'running' || state.id !== job.id) return state;
  const next = fromJob(job);
  if (next.phase === 'running' && next.progress < state.progress) return state;
  return next;
}

/** Fill in what a finished job's file holds (the done event does not say; one GET of the job does). */
export function applyDoneJob(state: ExportState, job: ExportJob): ExportState {
  if (state.phase !== 'done' || state.id !== job.id || job.status !== 'done') return state;
  return { ...state, bytes: job.bytes ?? state.bytes, clipStartMs: job.clip_start_ms ?? null, clipEndMs: job.clip_end_ms ?? null };
}

/** Length of the exported file (first to last frame), or null until known. */
export function exportedMs(state: ExportState): number | null {
  if (state.phase !== 'done' || state.clipStartMs === null || state.clipEndMs === null) return null;
  return Math.max(0, state.clipEndMs - state.clipStartMs);
}

/**
 * "Exported 4 min 40 s of video, 10:01:02 – 10:05:42 (5 min selected)." once the job says what the
 * file holds (the selection named only when the file is shorter); null before.
 */
export function exportResultText(state: ExportState, offset: OffsetFn = localOffset): string | null {
  const ms = exportedMs(state);
  if (ms === null || state.phase !== 'done' || state.clipStartMs === null || state.clipEndMs === null) return null;
  const hms = (t: number) => preciseLabel(t, offset).slice(0, 8);
  const asked = state.endMs - state.startMs;
  const shorter = ms < asked - 2000 ? ` (${formatDuration(asked)} selected)` : '';
  return `Exported ${formatDuration(ms)} of video, ${hms(state.clipStartMs)} – ${hms(state.clipEndMs)}${shorter}.`;
}

/** Apply an `export:progress|done|failed` event from the events socket (anything else, or another
 * job's, leaves the state as it is). */
export function applyExportEvent(state: ExportState, ev: VigilEvent): ExportState {
  if (state.phase !== 'running') return state;
  switch (ev.type) {
    case 'export:progress':
      if (ev.export_id !== state.id) return state;
      return ev.progress > state.progress ? { ...state, progress: Math.min(1, ev.progress) } : state;
    case 'export:done':
      if (ev.export_id !== state.id) return state;
      return {
        phase: 'done',
        id: state.id,
        startMs: state.startMs,
        endMs: state.endMs,
        bytes: ev.bytes,
        downloadPath: `/api/v1/exports/${state.id}/file`,
        clipStartMs: null,
        clipEndMs: null,
      };
    case 'export:failed':
      if (ev.export_id !== state.id) return state;
      return { phase: 'failed', id: state.id, error: ev.error || 'the export failed' };
    default:
      return state;
  }
}

/** 1 536 000 → "1.5 MB". */
export function formatBytes(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** File name for a download: camera-3-2025-01-02T10-20-30.mp4 (local time, no colons). */
export function exportFileName(cameraId: number, startMs: number, offsetMs: number): string {
  const iso = new Date(startMs + offsetMs).toISOString().slice(0, 19).replace(/:/g, '-');
  return `camera-${cameraId}-${iso}.mp4`;
}
