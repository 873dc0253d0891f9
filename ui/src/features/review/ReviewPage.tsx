// Why: the #/review page — incidents as a grid of large pictures, filtered by camera, label, zone, time and reviewed state; hover previews the clip, a click (or space) opens it inline with its objects; r marks reviewed and moves on, j/k and the arrows move.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError, useAcknowledge, useAcknowledgeMany, useAlertPages } from '../../api/queries';
import { useCan } from '../access/can';
import type { Alert, Camera } from '../../api/types';
import { useNow } from '../../components/useNow';
import { alertSpan, labelOptions, labelSummary, relativeTime, snapshotPath } from '../alerts/alertState';
import { OlderPages, TimeRangeFilter } from '../alerts/PagingControls';
import { AlertSnapshot } from '../alerts/AlertSnapshot';
import type { MediaConnection } from '../timeline/timelineApi';
import { IncidentClip } from './IncidentClip';
import type { ClipHandle } from './IncidentClip';
import { IncidentDetail } from './IncidentDetail';
import { REVIEW_FILTER, clipWindow, incidentZones, moveSelection, reviewKeyAction, reviewQuery, zoneOptions } from './reviewState';
import type { ReviewFilter, ReviewState } from './reviewState';
import './review.css';

interface Props {
  api: ApiClient;
  conn: MediaConnection;
  cameras: Camera[];
}

/** How long the pointer rests on a picture before its preview starts (passing over the grid
 * starts none). */
const PREVIEW_DELAY_MS = 400;

function Filters({ filter, cameras, labels, zones, onChange }: {
  filter: ReviewFilter;
  cameras: Camera[];
  labels: string[];
  zones: string[];
  onChange: (f: ReviewFilter) => void;
}) {
  return (
    <div className="rv-filters alert-filters">
      <select
        aria-label="Camera"
        value={filter.cameraId ?? ''}
        onChange={(e) => onChange({ ...filter, cameraId: e.target.value ? Number(e.target.value) : null })}
        data-testid="review-filter-camera"
      >
        <option value="">Every camera</option>
        {cameras.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select aria-label="Label" value={filter.label} onChange={(e) => onChange({ ...filter, label: e.target.value })} data-testid="review-filter-label">
        <option value="">Any object</option>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <select aria-label="Zone" value={filter.zone} onChange={(e) => onChange({ ...filter, zone: e.target.value })} data-testid="review-filter-zone">
        <option value="">Any zone</option>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
      <TimeRangeFilter value={filter} onChange={(r) => onChange({ ...filter, ...r })} testId="review-filter" />
      <select
        aria-label="Reviewed"
        value={filter.state}
        onChange={(e) => onChange({ ...filter, state: e.target.value as ReviewState })}
        data-testid="review-filter-state"
      >
        <option value="unreviewed">Not reviewed</option>
        <option value="reviewed">Reviewed</option>
        <option value="all">Reviewed or not</option>
      </select>
    </div>
  );
}

interface CardProps {
  api: ApiClient;
  conn: MediaConnection;
  incident: Alert;
  cameraName: string;
  selected: boolean;
  open: boolean;
  busy: boolean;
  now: number;
  onOpen: (id: number) => void;
  onReview: (id: number) => void;
}

function IncidentCard({ api, conn, incident: a, cameraName, selected, open, busy, now, onOpen, onReview }: CardProps) {
  const [hover, setHover] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);
  const clip = useMemo(() => clipWindow(a, now), [a, now]);
  const snap = snapshotPath(a);
  const zones = incidentZones(a);
  const rel = relativeTime(a.created_at, now);
  return (
    <li
      ref={ref}
      className={`rv-card card ${selected ? 'is-selected' : ''} ${a.acknowledged ? 'is-reviewed' : ''}`}
      data-testid={`review-${a.id}`}
      data-selected={selected}
      data-reviewed={a.acknowledged}
      aria-current={selected ? 'true' : undefined}
    >
      <button
        type="button"
        className="rv-thumb"
        onClick={() => onOpen(a.id)}
        onMouseEnter={() => {
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => setHover(true), PREVIEW_DELAY_MS);
        }}
        onMouseLeave={() => {
          if (timer.current) clearTimeout(timer.current);
          setHover(false);
        }}
        aria-label={`Play the incident at ${cameraName}, ${new Date(Date.parse(a.created_at)).toLocaleString()}`}
        aria-pressed={open}
        data-testid={`review-open-${a.id}`}
      >
        {snap ? <AlertSnapshot api={api} path={snap} alt={a.message} /> : <span className="muted small">No picture</span>}
        {hover && clip && !open && <IncidentClip api={api} conn={conn} clip={clip} preview />}
        <span className="rv-count">{a.count > 1 ? `${a.count} objects` : labelSummary(a.labels ?? {}) || '1 object'}</span>
      </button>
      <div className="rv-meta">
        <div className="rv-meta-line">
          <strong>{cameraName}</strong>
          <time className="muted small" dateTime={a.created_at} title={new Date(Date.parse(a.created_at)).toLocaleString()}>
            {rel ?? new Date(Date.parse(a.created_at)).toLocaleString()}
          </time>
        </div>
        <div className="small">
          {labelSummary(a.labels ?? {})}
          {zones.length > 0 && <span className="muted"> · {zones.join(', ')}</span>}
        </div>
        <div className="rv-meta-line">
          <span className="muted small">{alertSpan(a, now)}</span>
          {a.acknowledged ? (
            <span className="muted small" data-testid={`review-reviewed-${a.id}`}>
              ✓ reviewed
            </span>
          ) : (
            <MarkReviewed onClick={() => onReview(a.id)} disabled={busy} testId={`review-mark-${a.id}`} />
          )}
        </div>
      </div>
    </li>
  );
}

/** Columns the grid lays out now (for ↑/↓), from its computed template. */
function gridColumns(el: HTMLElement | null): number {
  if (!el) return 1;
  const cols = getComputedStyle(el).gridTemplateColumns;
  return cols ? Math.max(1, cols.split(' ').filter((c) => c && c !== 'none').length) : 1;
}

export function ReviewPage({ api, conn, cameras }: Props) {
  const [filter, setFilter] = useState<ReviewFilter>(REVIEW_FILTER);
  const query = useMemo(() => reviewQuery(filter), [filter]);
  const paged = useAlertPages(api, query);
  const incidents = paged.alerts;
  const ids = useMemo(() => incidents.map((a) => a.id), [incidents]);
  const [selected, setSelected] = useState<number | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  // The opened incident as last seen: it stays open after review takes it off an unreviewed list.
  const [opened, setOpened] = useState<Alert | null>(null);
  const ack = useAcknowledge(api);
  const ackMany = useAcknowledgeMany(api);
  const canAck = useCan('alert:ack');
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const gridRef = useRef<HTMLUListElement>(null);
  const clipRef = useRef<ClipHandle | null>(null);
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);
  const cameraName = (id: number | null) => (id == null ? 'No camera' : (names.get(id) ?? `Camera ${id}`));
  const now = useNow(10_000);

  const current = openId !== null ? (incidents.find((a) => a.id === openId) ?? opened) : null;
  useEffect(() => {
    const found = openId !== null ? incidents.find((a) => a.id === openId) : undefined;
    if (found) setOpened(found);
  }, [incidents, openId]);
  // A new window (and a new player) only when the incident grows or ends, not on every render.
  const currentClip = useMemo(
    () => (current ? clipWindow(current) : null),
    [current?.id, current?.camera_id, current?.created_at, current?.ended_at, current?.last_at],
  );

  const open = useCallback(
    (id: number) => {
      setSelected(id);
      setOpenId((o) => (o === id ? null : id));
      setOpened(incidents.find((a) => a.id === id) ?? null);
    },
    [incidents],
  );

  const review = useCallback(
    (id: number) => {
      const a = incidents.find((x) => x.id === id);
      if (!a || a.acknowledged) return;
      // Under "not reviewed" it leaves the list: the selection moves on to the next one.
      if (filter.state === 'unreviewed' && selected === id) {
        const next = moveSelection(ids, id, 'next', 1);
        setSelected(next === id ? moveSelection(ids, id, 'prev', 1) : next);
      }
      setBusy((b) => new Set(b).add(id));
      ack.mutate(id, {
        onSettled: () =>
          setBusy((b) => {
            const n = new Set(b);
            n.delete(id);
            return n;
          }),
      });
    },
    [incidents, ids, filter.state, selected, ack],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const action = reviewKeyAction(e.key);
      if (!action) return;
      // Space and Enter on a focused button are the button's own; everything else is the page's.
      if ('toggle' in action && t && ['BUTTON', 'A'].includes(t.tagName) && !t.classList.contains('rv-thumb')) return;
      e.preventDefault();
      if ('move' in action) {
        setSelected((s) => moveSelection(ids, s, action.move, gridColumns(gridRef.current)));
      } else if ('toggle' in action) {
        if (selected === null) setSelected(ids[0] ?? null);
        else if (openId === selected) clipRef.current?.toggle();
        else open(selected);
      } else if ('review' in action) {
        const id = openId ?? selected;
        if (id !== null) review(id);
      } else if (openId !== null) {
        setOpenId(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ids, selected, openId, open, review]);

  const unreviewedShown = incidents.filter((a) => !a.acknowledged).map((a) => a.id);
  const error = paged.first.error ? toApiError(paged.first.error) : (ack.error ?? ackMany.error) ? toApiError(ack.error ?? ackMany.error) : null;
  const labels = labelOptions(incidents);
  const zones = zoneOptions(incidents, filter.zone);

  return (
    <main className="page review-page" data-testid="review-page">
      <div className="page-head">
        <h1>Review</h1>
        <div className="rv-head-actions">
          {unreviewedShown.length > 0 && canAck && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => ackMany.mutate({ ids: unreviewedShown })}
              disabled={ackMany.isPending}
              data-testid="review-mark-shown"
            >
              {ackMany.isPending ? 'Marking…' : `Mark all shown reviewed (${unreviewedShown.length})`}
            </button>
          )}
          <span className="muted small" title="j/k or arrows move, space opens or plays, r marks reviewed, Esc closes">
            j/k · space · r · Esc
          </span>
        </div>
      </div>
      <Filters filter={filter} cameras={cameras} labels={labels} zones={zones} onChange={setFilter} />
      {error && error.status !== 401 && (
        <div className="banner banner-error" role="alert" data-testid="review-error">
          <strong>{error.code}</strong> {error.message}
        </div>
      )}
      {current && currentClip && (
        <IncidentDetail
          key={current.id}
          api={api}
          conn={conn}
          incident={current}
          clip={currentClip}
          cameraName={cameraName(current.camera_id)}
          busy={busy.has(current.id)}
          onReview={() => review(current.id)}
          onClose={() => setOpenId(null)}
          clipRef={clipRef}
        />
      )}
      {paged.first.isPending ? (
        <p className="muted">Loading incidents…</p>
      ) : incidents.length === 0 ? (
        <p className="muted rv-empty" data-testid="review-empty">
          {filter.state === 'unreviewed' ? 'Nothing left to review' : 'No incidents'}
          {filter.cameraId !== null || filter.label || filter.zone || filter.range !== 'any' ? ' for these filters' : ''}.
        </p>
      ) : (
        <>
          <ul className="rv-grid" ref={gridRef} data-testid="review-grid">
            {incidents.map((a) => (
              <IncidentCard
                key={a.id}
                api={api}
                conn={conn}
                incident={a}
                cameraName={cameraName(a.camera_id)}
                selected={a.id === selected}
                open={a.id === openId}
                busy={busy.has(a.id)}
                now={now}
                onOpen={open}
                onReview={review}
              />
            ))}
          </ul>
          <OlderPages paged={paged} noun="incidents" className="btn rv-more" testId="review" />
        </>
      )}
    </main>
  );
}

/** "Mark reviewed" for those who may acknowledge (a viewer watches, and does not mark). */
function MarkReviewed({ onClick, disabled, testId }: { onClick: () => void; disabled: boolean; testId: string }) {
  if (!useCan('alert:ack')) return null;
  return (
    <button type="button" className="btn btn-small" onClick={onClick} disabled={disabled} data-testid={testId}>
      Mark reviewed
    </button>
  );
}
