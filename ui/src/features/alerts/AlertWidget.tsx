// Why: the alert widget (live page panel and #/alerts page) — unresolved criticals first (pinned), filters by severity, type and camera, the live list, acknowledge one or all shown, and the sound switch.
import { useCallback, useMemo, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError, useAcknowledge, useAcknowledgeMany, useAlertPages, useAlertsQuery } from '../../api/queries';
import { useCan } from '../access/can';
import type { Alert, Camera } from '../../api/types';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../../api/types';
import { useNow } from '../../components/useNow';
import { AlertItem } from './AlertItem';
import {
  KIND_LABELS,
  NO_FILTER,
  PINNED_QUERY,
  filterToQuery,
  isFiltered,
  isKind,
  isSeverity,
  labelOptions,
  matchesQuery,
} from './alertState';
import type { AlertFilter } from './alertState';
import { OlderPages, TimeRangeFilter } from './PagingControls';
import { setSoundOn, unlockAudio, useBeepCount, useSoundOn } from './sound';

interface Props {
  api: ApiClient;
  cameras: Camera[];
  /** The side panel: fewer rows, the same controls. */
  compact?: boolean;
  /** An alert to pick out and scroll to. */
  focusId?: number | null;
}

export function SoundToggle() {
  const on = useSoundOn();
  const beeps = useBeepCount();
  return (
    <button
      type="button"
      className={`btn btn-small ${on ? 'is-active' : ''}`}
      aria-pressed={on}
      onClick={() => {
        unlockAudio();
        setSoundOn(!on);
      }}
      data-testid="alert-sound"
      data-beeps={beeps}
      title="Beep on new alerts at or above warning"
    >
      {on ? 'Sound on' : 'Sound off'}
    </button>
  );
}

interface FiltersProps {
  filter: AlertFilter;
  cameras: Camera[];
  labels: string[];
  onChange: (f: AlertFilter) => void;
}

function Filters({ filter, cameras, labels, onChange }: FiltersProps) {
  return (
    <div className="alert-filters">
      <select
        aria-label="Severity"
        value={filter.severity}
        onChange={(e) => onChange({ ...filter, severity: isSeverity(e.target.value) ? e.target.value : '' })}
        data-testid="alert-filter-severity"
      >
        <option value="">Any severity</option>
        {ALERT_SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select
        aria-label="Type"
        value={filter.type}
        onChange={(e) => onChange({ ...filter, type: isKind(e.target.value) ? e.target.value : '' })}
        data-testid="alert-filter-type"
      >
        <option value="">Any type</option>
        {ALERT_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <select
        aria-label="Camera"
        value={filter.cameraId ?? ''}
        onChange={(e) => onChange({ ...filter, cameraId: e.target.value ? Number(e.target.value) : null })}
        data-testid="alert-filter-camera"
      >
        <option value="">Any camera</option>
        {cameras.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select
        aria-label="State"
        value={filter.state}
        onChange={(e) => onChange({ ...filter, state: e.target.value as AlertFilter['state'] })}
        data-testid="alert-filter-state"
      >
        <option value="all">All</option>
        <option value="open">Unacknowledged</option>
        <option value="acknowledged">Acknowledged</option>
      </select>
      <select
        aria-label="Label"
        value={filter.label}
        onChange={(e) => onChange({ ...filter, label: e.target.value })}
        data-testid="alert-filter-label"
        title="Incidents with at least one object of this label"
      >
        <option value="">Any object</option>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <TimeRangeFilter value={filter} onChange={(r) => onChange({ ...filter, ...r })} testId="alert-filter" />
    </div>
  );
}

export function AlertWidget({ api, cameras, compact = false, focusId = null }: Props) {
  const [filter, setFilter] = useState<AlertFilter>(NO_FILTER);
  const query = useMemo(() => filterToQuery(filter, compact ? 50 : 100), [filter, compact]);
  const paged = useAlertPages(api, query);
  const q = paged.first;
  const pinnedQ = useAlertsQuery(api, PINNED_QUERY);
  const ack = useAcknowledge(api);
  const ackMany = useAcknowledgeMany(api);
  const canAck = useCan('alert:ack');
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);
  // Relative times ("2 min ago") and incident durations move on their own.
  const now = useNow(10_000);

  const onAck = useCallback(
    (id: number) => {
      setBusy((b) => new Set(b).add(id));
      ack.mutate(id, {
        onSettled: () =>
          setBusy((b) => {
            const next = new Set(b);
            next.delete(id);
            return next;
          }),
      });
    },
    [ack],
  );

  const data = q.data;
  // Criticals still going on come first (those past the page too, when the filter takes them); the
  // rest keep the server's order, newest first.
  // Computed each render: a few pages at most, and the pages' list is rebuilt every render anyway.
  const pinned = (pinnedQ.data?.alerts ?? []).filter((a) => matchesQuery(a, query));
  const pinnedAll = new Set(pinned.map((a) => a.id));
  const rest = paged.alerts.filter((a) => !pinnedAll.has(a.id) || !matchesQuery(a, PINNED_QUERY));
  const stillPinned = pinned.filter((a) => !rest.some((r) => r.id === a.id));
  const shown = [...stillPinned, ...rest];
  const pinnedIds = new Set(stillPinned.map((a) => a.id));
  const labels = labelOptions(shown);
  const shownOpen = shown.filter((a) => !a.acknowledged).map((a) => a.id);
  const item = (a: Alert) => (
    <AlertItem
      key={a.id}
      api={api}
      alert={a}
      cameraName={a.camera_id != null ? (names.get(a.camera_id) ?? `Camera ${a.camera_id}`) : null}
      busy={busy.has(a.id)}
      focused={a.id === focusId}
      pinned={pinnedIds.has(a.id)}
      now={now}
      onAck={onAck}
    />
  );
  const mutationError = ack.error ?? ackMany.error;
  const error = q.error ? toApiError(q.error) : mutationError ? toApiError(mutationError) : null;
  return (
    <section className={`alert-widget card ${compact ? 'is-compact' : ''}`} data-testid="alert-widget" aria-label="Alerts">
      <header className="alert-head">
        <h2>Alerts</h2>
        {data && (
          <span className="muted small" data-testid="alert-open-count">
            {data.unacknowledged} unacknowledged
          </span>
        )}
        <div className="alert-head-actions">
          {shownOpen.length > 1 && canAck && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => ackMany.mutate({ ids: shownOpen })}
              disabled={ackMany.isPending}
              data-testid="alert-ack-shown"
              title="Acknowledge every unacknowledged alert in this list, in one step"
            >
              {ackMany.isPending ? 'Acknowledging…' : `Acknowledge all shown (${shownOpen.length})`}
            </button>
          )}
          <SoundToggle />
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => void q.refetch()}
            disabled={q.isFetching}
            data-testid="alert-refresh"
            title="Alerts also refresh on their own every 30 s"
          >
            {q.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </header>
      <Filters filter={filter} cameras={cameras} labels={labels} onChange={setFilter} />
      {error && error.status !== 401 && (
        <div className="banner banner-error" role="alert" data-testid="alert-error">
          <strong>{error.code}</strong> {error.message}
        </div>
      )}
      {q.isPending ? (
        <p className="muted">Loading alerts…</p>
      ) : data && shown.length === 0 ? (
        <p className="muted alert-empty" data-testid="alert-empty">
          No alerts{isFiltered(filter) ? ' match these filters' : ''}.
        </p>
      ) : (
        <>
          <ul className="alert-list" data-testid="alert-list">
            {shown.map(item)}
          </ul>
          <OlderPages paged={paged} noun="alerts" className="btn btn-small alert-more" testId="alert" />
        </>
      )}
    </section>
  );
}
