// Why: the recent moves and deletions with their reasons (age, size, free space, retention, by hand), newest first, paged with an "Older" button.
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import { timelineHash } from '../../components/routes';
import { humanBytes, humanSpan, humanWhen } from './format';
import type { StorageOp, StorageReason } from './types';
import { useStorageOps } from './useStorage';

export const REASON_LABELS: Record<StorageReason, string> = {
  age: 'age limit',
  size: 'size limit',
  free_space: 'free space',
  retention: 'retention',
  manual: 'by hand',
};

/** "moved hot → warm" or "deleted from cold". */
export function opSummary(op: Pick<StorageOp, 'kind' | 'from_tier' | 'to_tier'>): string {
  return op.kind === 'move' ? `moved ${op.from_tier} → ${op.to_tier ?? '?'}` : `deleted from ${op.from_tier}`;
}

interface Props {
  api: ApiClient;
  cameraName: (id: number) => string;
}

export function OpsHistory({ api, cameraName }: Props) {
  const q = useStorageOps(api);
  const rows = q.data?.pages.flat() ?? [];
  const err = q.error ? toApiError(q.error) : null;
  return (
    <section className="st-ops card" aria-labelledby="st-ops-h" data-testid="ops-history">
      <div className="st-section-head">
        <h3 id="st-ops-h">Moves and deletions</h3>
        <span className="muted small">{rows.length ? `${rows.length} shown` : ''}</span>
      </div>
      {err && err.status !== 401 && (
        <p className="field-error" role="alert">
          {err.code}: {err.message}
        </p>
      )}
      {q.isPending ? (
        <p className="muted small">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted small" data-testid="ops-empty">
          Nothing moved or deleted yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="camera-table st-table" data-testid="ops-list">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Camera</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Footage</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((op) => (
                <tr key={op.id} data-testid={`op-${op.id}`} data-kind={op.kind} data-reason={op.reason}>
                  <td data-label="When">{humanWhen(op.at)}</td>
                  <td data-label="Camera">{cameraName(op.camera_id)}</td>
                  <td data-label="What">{opSummary(op)}</td>
                  <td data-label="Why">
                    <span className={`st-reason st-reason-${op.reason}`}>{REASON_LABELS[op.reason] ?? op.reason}</span>
                  </td>
                  <td className="num" data-label="Size">
                    {humanBytes(op.bytes)}
                  </td>
                  <td data-label="Footage">
                    {op.kind === 'move' ? (
                      <a href={timelineHash(op.camera_id, Date.parse(op.start))}>{humanSpan(op.start, op.end)}</a>
                    ) : (
                      humanSpan(op.start, op.end)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.hasNextPage && (
        <button
          type="button"
          className="btn btn-small st-older"
          onClick={() => void q.fetchNextPage()}
          disabled={q.isFetchingNextPage}
          data-testid="ops-older"
        >
          {q.isFetchingNextPage ? 'Loading…' : 'Older'}
        </button>
      )}
    </section>
  );
}
