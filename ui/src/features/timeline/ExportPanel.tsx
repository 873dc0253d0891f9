// Why: export of the selected range — say first when it holds less footage than selected, start the job, show its progress from events (polling as a fallback) and then how long the file is, download the MP4 with the token in a header; or keep the range (a footage lock).
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import { toApiError } from '../cameras/useCameras';
import { KeepControl } from '../storage/KeepControl';
import { IDLE, applyDoneJob, applyExportEvent, applyJob, exportFileName, exportResultText, exportedMs, formatBytes } from './exportState';
import type { ExportState } from './exportState';
import { checkFootage, footageText } from './footage';
import type { FootageCheck } from './footage';
import { formatDuration, localOffset, preciseLabel } from './timeMath';
import type { Range } from './timeMath';
import { getExport, getTimeline, startExport } from './timelineApi';
import { useCan } from '../access/can';

interface Props {
  api: ApiClient;
  events: EventsClient;
  cameraId: number;
  selection: Range | null;
  /** Recorded spans of the day on screen: how much of the selection is footage, shown at once. */
  spans: readonly Range[];
  onClear: () => void;
}

const spansOf = (xs: readonly { start_ms: number; end_ms: number }[]): Range[] =>
  xs.map((x) => ({ startMs: x.start_ms, endMs: x.end_ms }));

export function ExportPanel({ api, events, cameraId, selection, spans, onClear }: Props) {
  const canExport = useCan('recording:export');
  const [state, setState] = useState<ExportState>(IDLE);
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  /** The selection holds less footage than selected: asked before exporting. */
  const [warning, setWarning] = useState<{ selection: Range; check: FootageCheck } | null>(null);
  const [checking, setChecking] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  // A new camera starts over.
  useEffect(() => {
    setState(IDLE);
    setError(null);
    setWarning(null);
  }, [cameraId]);
  // The question was about one selection; another one asks again.
  useEffect(() => setWarning(null), [selection]);

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

  // The done event does not say what the file holds; the job does.
  const doneId = state.phase === 'done' && state.clipStartMs === null ? state.id : null;
  useEffect(() => {
    if (doneId === null) return;
    let live = true;
    getExport(api, doneId).then(
      (job) => live && setState((s) => applyDoneJob(s, job)),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, doneId]);

  /** Export, after saying so when the selection holds less footage than selected (fresh spans of exactly the selection). */
  const requestExport = async () => {
    if (!selection) return;
    const sel = selection;
    setError(null);
    setWarning(null);
    setChecking(true);
    let check: FootageCheck;
    try {
      const tl = await getTimeline(api, cameraId, sel.startMs, sel.endMs);
      check = checkFootage(spansOf(tl.segments), sel);
    } catch {
      // The spans on screen are nearly as good.
      check = checkFootage(spans, sel);
    } finally {
      setChecking(false);
    }
    if (check.short) setWarning({ selection: sel, check });
    else void start(sel);
  };

  const start = async (selection: Range) => {
    setError(null);
    setWarning(null);
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

  const busy = state.phase === 'starting' || state.phase === 'running' || checking;
  const onScreen = selection ? checkFootage(spans, selection) : null;
  const fileMs = exportedMs(state);
  return (
    <div className="tl-export card" data-testid="export-panel" data-phase={state.phase}>
      <h3>Export</h3>
      {selection ? (
        <p className="small" data-testid="selection-text">
          {preciseLabel(selection.startMs).slice(0, 8)} – {preciseLabel(selection.endMs).slice(0, 8)}{' '}
          <span className="muted" data-testid="selection-footage">
            ({formatDuration(selection.endMs - selection.startMs)}
            {onScreen?.short ? `, ${formatDuration(onScreen.footageMs)} recorded` : ''})
          </span>{' '}
          <button type="button" className="btn btn-ghost btn-small" onClick={onClear} disabled={busy}>
            Clear
          </button>
        </p>
      ) : (
        <p className="muted small">Shift-drag on the timeline, or use In and Out, to select a range.</p>
      )}
      <div className="tl-export-row">
        {canExport && <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => void requestExport()}
          disabled={!selection || busy || warning !== null || selection.endMs - selection.startMs < 1000}
          data-testid="export-start"
        >
          Export selection
        </button>}
        {state.phase === 'running' && (
          <progress max={1} value={state.progress} data-testid="export-progress" aria-label="Export progress">
            {Math.round(state.progress * 100)}%
          </progress>
        )}
        {checking && <span className="muted small">Checking the footage…</span>}
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
      {warning && (
        <div className="tl-export-warning" role="alertdialog" aria-label="Less footage than selected" data-testid="export-warning">
          <p className="small">
            {footageText(warning.check)}
            {warning.check.footageMs > 0
              ? ' (the rest was not recorded: the file begins and ends with the footage, and a gap inside it shows as a still picture). Export anyway?'
              : '.'}
          </p>
          <div className="tl-export-row">
            {warning.check.footageMs > 0 && (
              <button type="button" className="btn btn-small btn-primary" onClick={() => void start(warning.selection)} data-testid="export-anyway">
                Export anyway
              </button>
            )}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setWarning(null)} data-testid="export-cancel">
              {warning.check.footageMs > 0 ? 'Cancel' : 'OK'}
            </button>
          </div>
        </div>
      )}
      {state.phase === 'done' && (
        <p className="small" data-testid="export-result" data-exported-ms={fileMs ?? ''}>
          {exportResultText(state) ?? 'Exported.'}
        </p>
      )}
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
