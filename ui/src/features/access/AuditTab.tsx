// Why: "who saw and who exported this clip" — the audit log filtered by user, camera, action and time, newest first with older pages on demand, and the same selection downloadable as CSV for an evidence file.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiClient } from '../../api/client';
import { queryString } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';
import { localToIso } from './TokensTab';

type AuditPage = components['schemas']['AuditPage'];
type AuditRecord = components['schemas']['AuditRecord'];
type AuditAction = components['schemas']['AuditAction'];

export const ACTION_LABELS: Record<AuditAction, string> = {
  login: 'Signed in',
  login_failed: 'Sign-in failed',
  logout: 'Signed out',
  refresh_reused: 'Session revoked (refresh token reused)',
  live_open: 'Live view opened',
  live_close: 'Live view closed',
  playback: 'Played recordings',
  export: 'Exported',
  download: 'Downloaded',
  recording_delete: 'Deleted a recording',
  camera_create: 'Added a camera',
  camera_update: 'Changed a camera',
  camera_delete: 'Deleted a camera',
  footage_lock: 'Locked footage',
  footage_unlock: 'Unlocked footage',
  settings_change: 'Changed settings',
  user_create: 'Added a user',
  user_update: 'Changed a user',
  user_delete: 'Deleted a user',
  token_create: 'Created an API token',
  token_revoke: 'Revoked an API token',
  rtmp_publish_accepted: 'RTMP publisher accepted',
  rtmp_publish_refused: 'RTMP publisher refused',
  desk_lock: 'Locked the desk',
  desk_unlock: 'Unlocked the desk',
  database_restored: 'Restored the database from a snapshot',
  ptz: 'Steered a PTZ camera',
};

export interface AuditFilter {
  user: string;
  cameraId: string;
  action: string;
  start: string;
  end: string;
}

export function auditQuery(f: AuditFilter, cursor?: string | null): string {
  return queryString({
    user: f.user.trim() || undefined,
    camera_id: f.cameraId || undefined,
    action: f.action || undefined,
    start: localToIso(f.start) ?? undefined,
    end: localToIso(f.end) ?? undefined,
    cursor: cursor ?? undefined,
  });
}

function detailText(r: AuditRecord): string {
  const d = r.details as Record<string, unknown> | null;
  if (!d || Object.keys(d).length === 0) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

interface Props {
  api: ApiClient;
  cameras: readonly Camera[];
}

const EMPTY: AuditFilter = { user: '', cameraId: '', action: '', start: '', end: '' };

export function AuditTab({ api, cameras }: Props) {
  const [draft, setDraft] = useState<AuditFilter>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [csvError, setCsvError] = useState<string | null>(null);
  const q = useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => api.request<AuditPage>('GET', `/audit${auditQuery(filter, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? null,
  });
  const rows = q.data?.pages.flatMap((p) => p.entries) ?? [];
  const camName = (id: number | null | undefined) =>
    id === null || id === undefined ? '' : (cameras.find((c) => c.id === id)?.name ?? `#${id}`);

  const downloadCsv = async () => {
    setCsvError(null);
    try {
      const blob = await api.blob(`/audit/export.csv${auditQuery(filter)}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = 'vigil-audit.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setCsvError(toApiError(e).message);
    }
  };

  return (
    <section aria-label="Audit log">
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
        data-testid="audit-filters"
      >
        <label>
          User
          <input value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} placeholder="username" />
        </label>
        <label>
          Camera
          <select value={draft.cameraId} onChange={(e) => setDraft({ ...draft, cameraId: e.target.value })}>
            <option value="">Any</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            data-testid="audit-action"
          >
            <option value="">Any</option>
            {(Object.keys(ACTION_LABELS) as AuditAction[]).map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" value={draft.start} onChange={(e) => setDraft({ ...draft, start: e.target.value })} />
        </label>
        <label>
          Until
          <input type="datetime-local" value={draft.end} onChange={(e) => setDraft({ ...draft, end: e.target.value })} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="audit-apply">
          Show
        </button>
        <button type="button" className="btn" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
      </form>
      {csvError && <p className="banner banner-error">{csvError}</p>}
      {q.error && <p className="banner banner-error">{toApiError(q.error).message}</p>}
      <div className="table-wrap">
        <table data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Camera</th>
              <th>From</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                <td>{new Date(r.at).toLocaleString()}</td>
                <td>{r.actor}</td>
                <td>
                  {ACTION_LABELS[r.action]}
                  {r.outcome !== 'ok' && <span className="muted"> ({r.outcome})</span>}
                  {r.target && <div className="muted">{r.target}</div>}
                </td>
                <td>{camName(r.camera_id)}</td>
                <td>{r.client ?? ''}</td>
                <td className="muted">{detailText(r)}</td>
              </tr>
            ))}
            {q.isSuccess && rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  Nothing matches.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {q.hasNextPage && (
        <button
          type="button"
          className="btn audit-page-more"
          onClick={() => void q.fetchNextPage()}
          disabled={q.isFetchingNextPage}
        >
          Show older entries
        </button>
      )}
    </section>
  );
}
