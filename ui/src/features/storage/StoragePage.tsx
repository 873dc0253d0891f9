// Why: the #/storage page — every tier's disk, each camera's footage, usage over time, what was moved or deleted and why, kept footage, the settings, the S3 archive's access keys and a maintenance pass on demand; refreshed by storage:* events.
import { useCallback, useMemo } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import { toApiError } from '../../api/queries';
import type { Camera } from '../../api/types';
import { ArchiveKeysForm } from './ArchiveKeysForm';
import { CameraUsageTable } from './CameraUsageTable';
import { humanBytes, humanWhen } from './format';
import { LocksPanel } from './LocksPanel';
import { OpsHistory } from './OpsHistory';
import { SettingsForm } from './SettingsForm';
import { TierBars } from './TierBars';
import type { PassView } from './types';
import { UsageChart } from './UsageChart';
import { recordingTier } from './usageBar';
import { seriesColor } from './usageChart';
import { useRunMaintenance, useStorageEvents, useStorageView } from './useStorage';
import './storage.css';

interface Props {
  api: ApiClient;
  events: EventsClient;
  cameras: Camera[];
}

/** "moved 3 (1.2 GB), deleted 1 (400 MB), 0 failed". */
export function passSummary(p: PassView): string {
  const parts = [
    `moved ${p.moved}${p.moved ? ` (${humanBytes(p.bytes_moved)})` : ''}`,
    `deleted ${p.deleted}${p.deleted ? ` (${humanBytes(p.bytes_deleted)})` : ''}`,
  ];
  if (p.failed) parts.push(`${p.failed} failed`);
  return `${parts.join(', ')}; planned in ${p.plan_ms} ms`;
}

export function StoragePage({ api, events, cameras }: Props) {
  useStorageEvents(events);
  const q = useStorageView(api);
  const pass = useRunMaintenance(api);
  const view = q.data;
  const err = q.error ? toApiError(q.error) : null;
  const passErr = pass.error ? toApiError(pass.error) : null;

  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);
  const cameraName = useCallback((id: number) => names.get(id) ?? `Camera ${id}`, [names]);
  const tierOrder = useMemo(() => view?.tiers.map((t) => t.name) ?? [], [view]);
  const colorOf = useCallback(
    (tier: string, i: number) => {
      const at = tierOrder.indexOf(tier);
      return seriesColor(at >= 0 ? at : tierOrder.length + i);
    },
    [tierOrder],
  );
  const recording = view ? recordingTier(view) : null;

  return (
    <main className="page storage-page" data-testid="storage-page">
      <div className="page-head st-head">
        <h2>Storage</h2>
        <div className="st-pass">
          {pass.data ? (
            <span className="small" role="status" data-testid="maintenance-result">
              Pass done: {passSummary(pass.data)}
            </span>
          ) : view?.last_pass ? (
            <span className="small muted" data-testid="last-pass">
              Last pass {humanWhen(view.last_pass.at)}: {passSummary(view.last_pass)}
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => pass.mutate()}
            disabled={pass.isPending}
            data-testid="run-maintenance"
            title="Apply retention, age, size and free-space rules now instead of at the next scheduled pass"
          >
            {pass.isPending ? 'Running…' : 'Run maintenance now'}
          </button>
        </div>
      </div>

      {passErr && passErr.status !== 401 && (
        <div className="banner banner-error" role="alert" data-testid="maintenance-error">
          <strong>{passErr.code}</strong> {passErr.message}
        </div>
      )}
      {err && err.status !== 401 && (
        <div className="banner banner-error" role="alert" data-testid="storage-error">
          <strong>{err.code}</strong> {err.message}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void q.refetch()}>
            Retry
          </button>
        </div>
      )}

      {!view ? (
        !err && <p className="muted">Loading storage…</p>
      ) : (
        <>
          <section aria-labelledby="st-tiers-h" className="st-section">
            <h3 id="st-tiers-h" className="visually-hidden">
              Tiers
            </h3>
            <TierBars tiers={view.tiers} recording={recording?.name ?? null} />
          </section>

          <div className="st-columns">
            <UsageChart api={api} colorOf={colorOf} />
            <section className="st-cameras card" aria-labelledby="st-cameras-h">
              <div className="st-section-head">
                <h3 id="st-cameras-h">Cameras</h3>
              </div>
              <CameraUsageTable
                rows={view.cameras}
                cameras={cameras}
                tiers={view.tiers}
                daysLeft={recording?.days_until_full ?? null}
              />
            </section>
          </div>

          <LocksPanel api={api} cameras={cameras} cameraName={cameraName} />
          <OpsHistory api={api} cameraName={cameraName} />
          <SettingsForm api={api} settings={view.settings} tiers={view.tiers} cameras={cameras} />
          <ArchiveKeysForm api={api} stored={view.archive_keys_stored} />
        </>
      )}
    </main>
  );
}
