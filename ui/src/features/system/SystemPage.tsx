// Why: the #/system page — how the engine and every camera are doing right now: the engine's version, uptime, CPU and memory, the detection service, the database writer, and per camera its frame and bit rate, reconnects and drops; polled every few seconds, and an endpoint that fails says so instead of leaving a blank.
import { useMemo } from 'react';
import type { ApiClient, ApiError } from '../../api/client';
import { toApiError, useCamerasQuery } from '../../api/queries';
import { CameraHealthTable } from './CameraHealthTable';
import { cameraRows } from './derive';
import { DatabaseCard, DetectionCard, EngineCard } from './EngineCards';
import type { StreamStatus } from './types';
import { STATS_REFRESH_MS, useDetectionReadings, useHealth, useMetricsReadings, useStreamStatuses } from './useSystem';
import './system.css';
import { Autostart } from './Autostart';

interface Props {
  api: ApiClient;
  /** In the desktop window: offer "Start Vigil when I log in". */
  desktop?: boolean;
}

/** A failed endpoint and why; the same failure from several endpoints (the server is down) is said once. */
export interface Failure {
  what: string;
  error: ApiError;
}

export function failureLines(failures: readonly Failure[]): { key: string; whats: string[]; error: ApiError }[] {
  const out: { key: string; whats: string[]; error: ApiError }[] = [];
  for (const f of failures) {
    if (f.error.status === 401) continue;
    const key = `${f.error.code} ${f.error.message}`;
    const same = out.find((o) => o.key === key);
    if (same) same.whats.push(f.what);
    else out.push({ key, whats: [f.what], error: f.error });
  }
  return out;
}

export function SystemPage({ api, desktop = false }: Props) {
  const camsQ = useCamerasQuery(api);
  const cameras = useMemo(() => camsQ.data ?? [], [camsQ.data]);
  const ids = useMemo(() => cameras.map((c) => c.id), [cameras]);
  const health = useHealth(api);
  const detection = useDetectionReadings(api);
  const metrics = useMetricsReadings(api);
  const streams = useStreamStatuses(api, ids);

  const status = new Map<number, StreamStatus>();
  for (const q of streams) if (q.data) status.set(q.data.camera_id, q.data);
  const rows = cameraRows({ cameras, status, detection: detection.data, metrics: metrics.data });

  const err = (e: unknown) => (e ? toApiError(e) : null);
  const failures: Failure[] = [];
  const push = (what: string, e: unknown) => {
    const x = err(e);
    if (x) failures.push({ what, error: x });
  };
  push('cameras', camsQ.error);
  push('health', health.error);
  push('metrics', metrics.error);
  push('detection status', detection.error);
  streams.forEach((q, i) => push(`camera ${ids[i]} status`, q.error));
  const lines = failureLines(failures);
  const retry = () => {
    void camsQ.refetch();
    void health.refetch();
    void metrics.refetch();
    void detection.refetch();
    for (const q of streams) void q.refetch();
  };
  const updated = Math.max(metrics.dataUpdatedAt, detection.dataUpdatedAt, ...streams.map((q) => q.dataUpdatedAt));

  return (
    <main className="page system-page" data-testid="system-page">
      <div className="page-head">
        <h2>System</h2>
        {desktop && <Autostart />}
        <span className="small muted" data-testid="system-updated">
          {updated > 0 ? `Updated ${new Date(updated).toLocaleTimeString()} · every ${STATS_REFRESH_MS / 1000} s` : 'Loading…'}
        </span>
      </div>

      {lines.length > 0 && (
        <div className="banner banner-error sys-errors" role="alert" data-testid="system-error">
          <ul>
            {lines.map((l) => (
              <li key={l.key}>
                <span className="sys-what">{l.whats.join(', ')}:</span> <strong>{l.error.code}</strong> {l.error.message}
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-ghost btn-small" onClick={retry}>
            Retry
          </button>
        </div>
      )}

      <div className="sys-cards">
        <EngineCard
          health={health.data}
          metrics={metrics.data}
          metricsError={err(metrics.error)}
          cameraCount={camsQ.data ? cameras.length : null}
        />
        <DetectionCard detection={detection.data} error={err(detection.error)} />
        <DatabaseCard metrics={metrics.data} />
      </div>

      <section className="sys-section" aria-labelledby="sys-cameras-h">
        <h3 id="sys-cameras-h">Cameras</h3>
        {camsQ.isPending ? <p className="muted">Loading cameras…</p> : camsQ.data ? <CameraHealthTable rows={rows} /> : null}
      </section>
    </main>
  );
}
