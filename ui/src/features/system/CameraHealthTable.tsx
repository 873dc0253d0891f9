// Why: the System page's per-camera table — stream state and format, frame and bit rate, reconnects, what the recorder, live view and detector queues dropped, recorder write latency and the detector's rates, latency and skips; a non-zero loss is tinted.
import type { CameraRow, Flag } from './derive';
import { rowFlags } from './derive';
import { NONE, humanCount, humanKbps, humanMs, humanRate } from './format';

interface Props {
  rows: readonly CameraRow[];
}

function Num({ label, value, flag, flags, testId, title }: {
  label: string;
  value: string;
  flag?: Flag;
  flags: Set<Flag>;
  testId?: string;
  title?: string;
}) {
  const warn = flag !== undefined && flags.has(flag);
  return (
    <td className={`num${warn ? ' sys-warn' : ''}`} data-label={label} data-testid={testId} title={title}>
      {value}
    </td>
  );
}

function detectorTitle(r: CameraRow): string | undefined {
  const d = r.detector;
  if (!d) return undefined;
  return `${d.running ? 'running' : 'stopped'} on the ${d.source} stream; ${humanCount(d.still)} sampled frames skipped (nothing moved); ${humanCount(d.decodeErrors)} decode errors`;
}

export function CameraHealthTable({ rows }: Props) {
  if (rows.length === 0) return <p className="muted" data-testid="system-no-cameras">No cameras yet.</p>;
  return (
    <div className="table-wrap">
      <table className="camera-table sys-table" data-testid="system-cameras">
        <thead>
          <tr className="sys-groups">
            <th scope="colgroup" colSpan={2} />
            <th scope="colgroup" colSpan={3}>
              Stream
            </th>
            <th scope="colgroup" colSpan={3}>
              Recording
            </th>
            <th scope="colgroup" colSpan={2}>
              Live view
            </th>
            <th scope="colgroup" colSpan={4}>
              Detection
            </th>
          </tr>
          <tr>
            <th scope="col">Camera</th>
            <th scope="col">State</th>
            <th scope="col" className="num" title="Frames a second from the camera, over about the last second">
              FPS
            </th>
            <th scope="col" className="num">
              Bit rate
            </th>
            <th scope="col" className="num" title="Reconnections since the camera started">
              Reconnects
            </th>
            <th scope="col" className="num" title="Packets the recorder's queue dropped because it fell behind; recording errors">
              Drops
            </th>
            <th scope="col" className="num" title="Packets not recorded because the camera sent more than the bitrate ceiling">
              Over ceiling
            </th>
            <th scope="col" className="num" title="Packet arrival to its write into the segment file, 95th percentile over the last few seconds">
              Write p95
            </th>
            <th scope="col" className="num" title="Live viewers (MSE, HLS, MJPEG)">
              Viewers
            </th>
            <th scope="col" className="num" title="Packets the live-view queues dropped">
              Drops
            </th>
            <th scope="col" className="num" title="Frames taken at detect_fps a second / model runs a second (hover a cell for the frames skipped because nothing moved)">
              FPS in / run
            </th>
            <th scope="col" className="num" title="Latest frame-arrival-to-result time">
              Latency
            </th>
            <th scope="col" className="num" title="Frames not analysed because the camera or the detection pool was busy">
              Busy
            </th>
            <th scope="col" className="num" title="Packets the detector's queue dropped">
              Queue
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const flags = rowFlags(r);
            const d = r.detector;
            const noDetector = !r.detectionEnabled ? 'off' : NONE;
            return (
              <tr key={r.id} data-testid={`system-camera-${r.id}`} data-state={r.state} className={r.enabled ? undefined : 'row-disabled'}>
                <th scope="row" className="cam-name" data-label="Camera">
                  {r.name}
                  {r.format && <span className="sys-format">{r.format}</span>}
                </th>
                <td data-label="State">
                  <span className={`badge status-${r.state}`} data-testid={`system-state-${r.id}`} title={r.lastError ?? undefined}>
                    {r.state}
                  </span>
                </td>
                <td className="num" data-label="FPS" data-testid={`system-fps-${r.id}`} data-value={r.fps ?? ''}>
                  {humanRate(r.fps)}
                </td>
                <td className="num" data-label="Bit rate" data-testid={`system-bitrate-${r.id}`} data-value={r.bitrateKbps ?? ''}>
                  {humanKbps(r.bitrateKbps)}
                </td>
                <Num label="Reconnects" value={humanCount(r.reconnects)} flag="reconnects" flags={flags} testId={`system-reconnects-${r.id}`} />
                <td
                  className={`num${flags.has('recorderDrops') || flags.has('recordingErrors') ? ' sys-warn' : ''}`}
                  data-label="Recorder drops"
                  data-testid={`system-recorder-drops-${r.id}`}
                  title={r.recordingErrors ? `${humanCount(r.recordingErrors)} recording errors` : undefined}
                >
                  {humanCount(r.recorderDrops)}
                  {r.recordingErrors ? <span className="sys-sub"> · {humanCount(r.recordingErrors)} err</span> : null}
                </td>
                <Num label="Over ceiling" value={humanCount(r.overCeiling)} flag="overCeiling" flags={flags} />
                <Num label="Write p95" value={humanMs(r.writeP95Ms)} flags={flags} testId={`system-write-p95-${r.id}`} />
                <Num label="Viewers" value={humanCount(r.liveViewers)} flags={flags} />
                <Num label="Live drops" value={humanCount(r.liveDrops)} flag="liveDrops" flags={flags} testId={`system-live-drops-${r.id}`} />
                {d ? (
                  <>
                    <td className="num" data-label="Detect FPS in / run" title={detectorTitle(r)} data-testid={`system-detect-fps-${r.id}`}>
                      {humanRate(d.sampledFps)} / {humanRate(d.analysedFps)}
                    </td>
                    <Num label="Detector latency" value={d.latencyMs > 0 ? humanMs(d.latencyMs) : NONE} flags={flags} testId={`system-detect-latency-${r.id}`} />
                    <Num label="Busy skips" value={humanCount(d.droppedBusy)} flag="detectorBusy" flags={flags} />
                  </>
                ) : (
                  <td colSpan={3} className="muted sys-detector-off" data-label="Detection" data-testid={`system-detect-${r.id}`}>
                    {noDetector}
                  </td>
                )}
                <Num label="Detect queue drops" value={r.detectionEnabled ? humanCount(r.detectQueueDrops) : NONE} flag="detectQueueDrops" flags={flags} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
