// Why: the System page's summary cards — the engine (version, uptime, CPU, memory, streams, events clients), the detection service (state, model, workers, inference time and rate) and the database writer.
import type { ReactNode } from 'react';
import type { ApiError } from '../../api/client';
import type { Readings } from './derive';
import { cpuPercent, inferencesPerSecond } from './derive';
import { NONE, humanCount, humanMemory, humanMs, humanPercent, humanRate, humanUptime } from './format';
import type { EngineMetrics } from './promText';
import type { DetectionStatus, Health } from './types';

function Fact({ label, testId, title, children }: { label: string; testId: string; title?: string; children: ReactNode }) {
  return (
    <div title={title}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

const NotReported = () => <span className="muted">not reported</span>;

/** The endpoint behind a card failed (the page's banner says why). */
function Unavailable({ what, error }: { what: string; error: ApiError }) {
  return (
    <p className="sys-unavailable" data-testid="card-error">
      {what} could not be read ({error.code}); the figures below are the last known.
    </p>
  );
}

interface EngineProps {
  health: Health | undefined;
  metrics: Readings<EngineMetrics> | undefined;
  metricsError: ApiError | null;
  cameraCount: number | null;
}

export function EngineCard({ health, metrics, metricsError, cameraCount }: EngineProps) {
  const m = metrics?.value;
  const cpu = metrics ? cpuPercent(metrics) : null;
  const byStatus = m ? Object.entries(m.cameras).filter(([, n]) => n > 0) : [];
  return (
    <section className="card sys-card" aria-labelledby="sys-engine-h" data-testid="engine-card">
      <div className="sys-card-head">
        <h3 id="sys-engine-h">Engine</h3>
        {health && (
          <span className={`badge ${health.status === 'ok' ? 'status-running' : 'status-error'}`} data-testid="engine-status">
            {health.status}
          </span>
        )}
      </div>
      {metricsError && <Unavailable what="/metrics" error={metricsError} />}
      <dl className="sys-facts">
        <Fact label="Version" testId="engine-version">
          {health?.version ?? m?.version ?? NONE}
        </Fact>
        <Fact label="Uptime" testId="engine-uptime" title="Since the server's API started">
          <span data-seconds={m?.uptimeSeconds ?? ''}>{humanUptime(m?.uptimeSeconds)}</span>
        </Fact>
        <Fact label="CPU" testId="engine-cpu" title="The server process, % of one core, over the last few seconds">
          {m && m.cpuSeconds === null ? <NotReported /> : humanPercent(cpu)}
        </Fact>
        <Fact label="Memory (RSS)" testId="engine-memory">
          {m && m.residentBytes === null ? <NotReported /> : humanMemory(m?.residentBytes)}
        </Fact>
        <Fact label="Streams" testId="engine-streams" title="Cameras with a live upstream connection">
          {m?.streamsRunning !== null && m?.streamsRunning !== undefined
            ? `${m.streamsRunning} of ${cameraCount ?? Object.values(m.cameras).reduce((a, b) => a + b, 0)} running`
            : NONE}
        </Fact>
        <Fact label="Cameras" testId="engine-cameras">
          {byStatus.length ? byStatus.map(([s, n]) => `${n} ${s}`).join(', ') : NONE}
        </Fact>
        <Fact
          label="Connection"
          testId="engine-tls"
          title="Compare this fingerprint with the certificate a browser on another PC shows"
        >
          {health ? (health.tls_fingerprint ? `HTTPS, certificate SHA-256 ${health.tls_fingerprint}` : 'HTTP on this computer only') : NONE}
        </Fact>
        <Fact label="Live-update clients" testId="engine-ws" title="Connected /events sockets; events dropped for slow clients">
          {m?.eventsClients !== null && m?.eventsClients !== undefined
            ? `${m.eventsClients}${m.eventsLagged ? ` (${humanCount(m.eventsLagged)} events dropped)` : ''}`
            : NONE}
        </Fact>
      </dl>
    </section>
  );
}

interface DetectionProps {
  detection: Readings<DetectionStatus> | undefined;
  error: ApiError | null;
}

export function DetectionCard({ detection, error }: DetectionProps) {
  const d = detection?.value;
  const state = d?.state ?? null;
  const cls = state === 'ready' ? 'status-running' : state === 'starting' ? 'status-starting' : state === 'unavailable' ? 'status-error' : 'status-stopped';
  return (
    <section className="card sys-card" aria-labelledby="sys-detection-h" data-testid="detection-card">
      <div className="sys-card-head">
        <h3 id="sys-detection-h">Detection</h3>
        {state && (
          <span className={`badge ${cls}`} data-testid="detection-state">
            {state}
          </span>
        )}
      </div>
      {error && <Unavailable what="The detection status" error={error} />}
      {d && (d.message || d.code) && (
        <p className="sys-unavailable" data-testid="detection-message">
          {d.code && <strong>{d.code}</strong>} {d.message}
        </p>
      )}
      {d?.state === 'disabled' && (
        <p className="muted" data-testid="detection-off">
          Object detection is turned off on this server.
        </p>
      )}
      {d && d.state !== 'disabled' && (
        <dl className="sys-facts">
          <Fact label="Model" testId="detection-model">
            {d.model ?? NONE}
          </Fact>
          <Fact label="Runtime" testId="detection-library">
            {d.library ?? NONE}
          </Fact>
          <Fact label="Workers" testId="detection-workers">
            {d.workers ? `${d.workers} × ${d.threads_per_worker} ${d.threads_per_worker === 1 ? 'thread' : 'threads'}` : NONE}
          </Fact>
          <Fact label="Inference" testId="detection-inference" title="Mean model run time over the last runs">
            {d.inferences ? humanMs(d.inference_ms) : NONE}
          </Fact>
          <Fact label="Inferences / s" testId="detection-rate">
            {humanRate(inferencesPerSecond(detection))}
          </Fact>
          <Fact label="Inferences" testId="detection-total">
            {humanCount(d.inferences)}
          </Fact>
        </dl>
      )}
    </section>
  );
}

export function DatabaseCard({ metrics }: { metrics: Readings<EngineMetrics> | undefined }) {
  const db = metrics?.value.db;
  const warn = (n: number | null | undefined) => (n ? 'sys-warn' : undefined);
  return (
    <section className="card sys-card" aria-labelledby="sys-db-h" data-testid="db-card">
      <div className="sys-card-head">
        <h3 id="sys-db-h">Database writer</h3>
      </div>
      <dl className="sys-facts">
        <Fact label="Written" testId="db-written" title="Index updates written">
          {humanCount(db?.written)}
        </Fact>
        <Fact label="Batches" testId="db-batches" title="Transactions committed">
          {humanCount(db?.batches)}
        </Fact>
        <Fact label="Longest commit" testId="db-max-batch">
          {db?.maxBatchMicros !== null && db?.maxBatchMicros !== undefined ? humanMs(db.maxBatchMicros / 1000) : NONE}
        </Fact>
        <Fact label="Dropped" testId="db-dropped" title="Index updates that could not be queued">
          <span className={warn(db?.dropped)}>{humanCount(db?.dropped)}</span>
        </Fact>
        <Fact label="Failed batches" testId="db-failed" title="Batches that failed and were retried one by one">
          <span className={warn(db?.failedBatches)}>{humanCount(db?.failedBatches)}</span>
        </Fact>
        <Fact label="Waiting to retry" testId="db-pending" title="Index updates waiting for space under the database">
          <span className={warn(db?.pendingRetry)}>{humanCount(db?.pendingRetry)}</span>
        </Fact>
      </dl>
    </section>
  );
}
