// Why: each camera's footage — total and per tier, its bit rate over the last hour, how many days it holds and how long until the recording tier is full at today's rate.
import type { Camera } from '../../api/types';
import { humanBitrate, humanBytes, humanDays } from './format';
import type { CameraStorage, TierView } from './types';
import { bytesOn } from './usageBar';

interface Props {
  rows: readonly CameraStorage[];
  cameras: readonly Camera[];
  tiers: readonly TierView[];
  /** The recording tier's days until full (null: unknown or nothing recording). */
  daysLeft: number | null;
}

export interface CameraRow extends CameraStorage {
  name: string;
  /** Known to the camera list (not a deleted camera's footage). */
  known: boolean;
}

/** Storage rows named from the camera list, plus cameras with no footage yet; most bytes first. */
export function cameraRows(rows: readonly CameraStorage[], cameras: readonly Camera[]): CameraRow[] {
  const names = new Map(cameras.map((c) => [c.id, c.name]));
  const out: CameraRow[] = rows.map((r) => ({
    ...r,
    name: names.get(r.camera_id) ?? `Camera ${r.camera_id} (deleted)`,
    known: names.has(r.camera_id),
  }));
  for (const c of cameras) {
    if (!rows.some((r) => r.camera_id === c.id)) {
      out.push({ camera_id: c.id, bytes: 0, by_tier: {}, bitrate_bps: 0, days_held: 0, name: c.name, known: true });
    }
  }
  return out.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

export function CameraUsageTable({ rows, cameras, tiers, daysLeft }: Props) {
  const list = cameraRows(rows, cameras);
  if (list.length === 0) return <p className="muted">No cameras and no footage yet.</p>;
  return (
    <div className="table-wrap">
      <table className="camera-table st-table" data-testid="camera-usage">
        <thead>
          <tr>
            <th scope="col">Camera</th>
            <th scope="col" className="num">
              Total
            </th>
            {tiers.map((t) => (
              <th key={t.name} scope="col" className="num">
                {t.name}
              </th>
            ))}
            <th scope="col" className="num">
              Bit rate
            </th>
            <th scope="col" className="num">
              Held
            </th>
            <th scope="col" className="num" title="Until the recording tier reaches its reserve at the cameras' current rate">
              Days left
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.camera_id} data-testid={`camera-usage-${r.camera_id}`}>
              <th scope="row" className={`cam-name ${r.known ? '' : 'muted'}`} data-label="Camera">
                {r.name}
              </th>
              <td className="num" data-label="Total">
                {humanBytes(r.bytes)}
              </td>
              {tiers.map((t) => (
                <td key={t.name} className="num" data-label={t.name}>
                  {bytesOn(r.by_tier, t.name) > 0 ? humanBytes(bytesOn(r.by_tier, t.name)) : <span className="muted">—</span>}
                </td>
              ))}
              <td className="num" data-label="Bit rate">
                {humanBitrate(r.bitrate_bps)}
              </td>
              <td className="num" data-label="Held">
                {r.bytes > 0 ? humanDays(r.days_held) : '—'}
              </td>
              <td className="num" data-label="Days left">
                {r.bitrate_bps > 0 ? humanDays(daysLeft) : <span className="muted" title="Not recording now">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
