// Why: export of the selected range — start the job, show its progress from events (polling as a fallback), then download the MP4 with the token in a header; or keep the range (a footage lock).
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import { toApiError } from '../cameras/useCameras';
import { KeepControl } from '../storage/KeepControl';
import { IDLE, applyExportEvent, applyJob, exportFileName, formatBytes } from './exportState';
import type { ExportState } from './exportState';
import { formatDuration, localOffset, preciseLabel } from './timeMath';
import type { Range } from './timeMath';
import { getExport, startExport } from './timelineApi';

interface Props {
  api: ApiClient;
  events: EventsClient;
  cameraId: number;
  selection: Range | null;
  onClear: () => void;
}

export function ExportPanel({ api, events, cameraId, selection, onClear }: Props) {
  const [state, setState] = useState<ExportState>(IDLE);
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  // A new camera starts over.
  useEffect(() => {
    setState(IDLE);
    setError(null);
  }, [cameraId]);

  useEffect(() => events.subscribe((ev) => setState((s) => applyExportEvent(s, ev))), [events]);

  // Events may be missed (socket down): poll the job too.
  const runningId = state.phase === 'running' ? state.id : null;
  useEffect(() => {
    if (runningId === null) return;
    let live = true;
    const t = setInterval(() => {
      getExport(api, runningId).then(
        (job) => live && setState((s) => applyJob(s, job)),
        () => {},
      );
    }, 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, runningId]);

  const start = async () => {
    if (!selection) return;
    setError(null);
    setState({ phase: 'starting', startMs: selection.startMs, endMs: selection.endMs });
    try {
      const job = await startExport(api, cameraId, selection.startMs, selection.endMs);
      setState((s) => applyJob(s, job));
    } catch (e) {
      const err = toApiError(e);
      const fields = Object.entries(err.fields).map(([k, v]) => `${k} ${v}`);
      setState(IDLE);
      setError(`${err.code}: ${fields.length ? fields.join('; ') : err.message}`);
    }
  };

  const download = async () => {
    const s = stateRef.current;
    if (s.phase !== 'done') return;
    setDownloading(true);
    setError(null);
    try {
      const blob = await api.blob(s.downloadPath);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(cameraId, s.startMs, localOffset(s.startMs));
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      const err = toApiError(e);
      setError(`${err.code}: ${err.message}`);
    } finally {
      setDownloading(false);
    }
  };

  const busy = state.phase === 'starting' || state.phase === 'running';
  return (
    <div className="tl-export card" data-testid="export-panel" data-phase={state.phase}>
      <h3>Export</h3>
      {selection ? (
        <p className="small" data-testid="selection-text">
          {preciseLabel(selection.startMs).slice(0, 8)} – {preciseLabel(selection.endMs).slice(0, 8)}{' '}
          <span className="muted">({formatDuration(selection.endMs - selection.startMs)})</span>{' '}
          <button type="button" className="btn btn-ghost btn-small" onClick={onClear} disabled={busy}>
            Clear
          </button>
        </p>
      ) : (
        <p className="muted small">Shift-drag on the timeline, or use In and Out, to select a range.</p>
      )}
      <div className="tl-export-row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => void start()}
          disabled={!selection || busy || selection.endMs - selection.startMs < 1000}
          data-testid="export-start"
        >
          Export selection
        </button>
        {state.phase === 'running' && (
          <progress max={1} value={state.progress} data-testid="export-progress" aria-label="Export progress">
            {Math.round(state.progress * 100)}%
          </progress>
        )}
        {state.phase === 'starting' && <span className="muted small">Starting…</span>}
        {state.phase === 'running' && <span className="small">{Math.round(state.progress * 100)}%</span>}
        {state.phase === 'done' && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void download()}
            disabled={downloading}
            data-testid="export-download"
          >
            {downloading ? 'Downloading…' : `Download MP4${state.bytes ? ` (${formatBytes(state.bytes)})` : ''}`}
          </button>
        )}
      </div>
      {selection && selection.endMs - selection.startMs >= 1000 && (
        <div className="keep-row">
          <KeepControl
            api={api}
            cameraId={cameraId}
            span={selection}
            defaultReason={`Timeline selection ${preciseLabel(selection.startMs).slice(0, 8)}–${preciseLabel(selection.endMs).slice(0, 8)}`}
            label="Keep selection"
            testId="keep-selection"
          />
        </div>
      )}
      {state.phase === 'failed' && (
        <p className="field-error" role="alert" data-testid="export-failed">
          Export failed: {state.error}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="export-error">
          {error}
        </p>
      )}
    </div>
  );
}
