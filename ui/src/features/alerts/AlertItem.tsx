// Why: one alert in the list — severity, what and where, when (an incident's objects and how long it went on, a condition's clearing), its picture for detections, acknowledge, a jump to the timeline at that moment, and keeping its footage.
import { memo, useEffect, useRef } from 'react';
import type { ApiClient } from '../../api/client';
import type { Alert } from '../../api/types';
import { timelineHash } from '../../components/routes';
import { KeepControl } from '../storage/KeepControl';
import { keepSpan } from '../storage/locks';
import { AlertSnapshot } from './AlertSnapshot';
import { alertSpan, KIND_LABELS, labelSummary, relativeTime, snapshotPath, timelineTarget } from './alertState';
import { useCan } from '../access/can';

interface Props {
  api: ApiClient;
  alert: Alert;
  cameraName: string | null;
  busy: boolean;
  focused: boolean;
  /** A critical still going on, shown above the rest. */
  pinned?: boolean;
  /** The widget's clock (epoch ms), ticking so relative times stay true. */
  now?: number;
  onAck: (id: number) => void;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeFmt.format(t);
}

function AlertItemView({ api, alert: a, cameraName, busy, focused, pinned = false, now = Date.now(), onAck }: Props) {
  const canAck = useCan('alert:ack');
  const target = timelineTarget(a);
  const snap = snapshotPath(a);
  const raisedMs = Date.parse(a.created_at);
  // An incident's footage runs to its last activity.
  const lastMs = Math.max(raisedMs, Date.parse(a.ended_at ?? a.last_at ?? a.created_at) || raisedMs);
  const span = alertSpan(a, now);
  const ago = relativeTime(a.created_at, now);
  const isIncident = a.type === 'detection' && a.count > 1;
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [focused]);
  return (
    <li
      ref={ref}
      className={`alert-item sev-${a.severity} ${a.acknowledged ? 'is-acked' : ''} ${focused ? 'is-focused' : ''} ${pinned ? 'is-pinned' : ''}`}
      data-testid={`alert-${a.id}`}
      data-type={a.type}
      data-severity={a.severity}
      data-acknowledged={a.acknowledged ? 'true' : 'false'}
      data-pinned={pinned ? 'true' : undefined}
    >
      {snap && <AlertSnapshot api={api} path={snap} alt={a.message} />}
      <div className="alert-body">
        <div className="alert-line">
          <span className={`sev-dot sev-${a.severity}`} aria-hidden="true" />
          <strong>{KIND_LABELS[a.type] ?? a.type}</strong>
          <span className="muted small">{a.severity}</span>
          {cameraName && <span className="alert-camera small">{cameraName}</span>}
        </div>
        <p className="alert-message">{a.message}</p>
        {isIncident && (
          <p className="alert-line small" data-testid={`alert-count-${a.id}`}>
            {a.count} objects · {labelSummary(a.labels)}
          </p>
        )}
        <div className="alert-line small muted">
          <time dateTime={a.created_at} title={formatTime(a.created_at)}>
            {ago ? `${ago} · ` : ''}
            {formatTime(a.created_at)}
          </time>
          {span && (
            <span data-testid={`alert-span-${a.id}`} data-state={a.ended_at || a.resolved_at ? 'over' : 'open'}>
              {span}
            </span>
          )}
          {a.acknowledged && (
            <span data-testid={`alert-acked-${a.id}`}>
              ✓ acknowledged{a.acknowledged_by ? ` by ${a.acknowledged_by}` : ''}
              {a.acknowledged_at ? ` at ${formatTime(a.acknowledged_at)}` : ''}
            </span>
          )}
        </div>
      </div>
      <div className="alert-actions">
        {!a.acknowledged && canAck && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={busy}
            onClick={() => onAck(a.id)}
            data-testid={`alert-ack-${a.id}`}
          >
            {busy ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        )}
        {target && (
          <a
            className="btn btn-small btn-ghost"
            href={timelineHash(target.cameraId, target.at)}
            data-testid={`alert-timeline-${a.id}`}
          >
            Open in timeline
          </a>
        )}
        {target && (
          <KeepControl
            api={api}
            cameraId={target.cameraId}
            span={keepSpan(target.at, lastMs)}
            covers={{ startMs: target.at, endMs: Math.max(target.at, lastMs) }}
            defaultReason={`${KIND_LABELS[a.type] ?? a.type}: ${a.message}`}
            label="Keep footage"
            testId={`alert-keep-${a.id}`}
          />
        )}
      </div>
    </li>
  );
}

export const AlertItem = memo(AlertItemView);
