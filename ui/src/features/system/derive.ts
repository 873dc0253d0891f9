// Why: what the System page works out from the raw readings — rates from two readings of a running total (CPU %, inferences a second), a latency percentile from histogram buckets, each camera's row from the camera list, its stream status, its detector and /metrics, and the problems worth flagging.
import type { Camera, CameraStatus } from '../../api/types';
import type { EngineMetrics, Histogram } from './promText';
import type { CameraDetectionStats, DetectionStatus, StreamStatus } from './types';

/** A reading and when it was taken (epoch ms, the browser's clock). */
export interface Reading<T> {
  at: number;
  value: T;
}

/** The latest reading with the one before it (null on the first), for rates. */
export interface Readings<T> extends Reading<T> {
  prev: Reading<T> | null;
}

/** Keep the reading before as `prev` (only one step back: the chain does not grow). */
export function nextReadings<T>(prev: Readings<T> | undefined, at: number, value: T): Readings<T> {
  return { at, value, prev: prev ? { at: prev.at, value: prev.value } : null };
}

/**
 * Per second between two readings of a running total; null without an earlier reading, when no
 * time passed, or when the total went down (the counter was reset: a restart).
 */
export function ratePerSecond(
  prev: { at: number; total: number | null } | null,
  cur: { at: number; total: number | null },
): number | null {
  if (!prev || prev.total === null || cur.total === null) return null;
  const dt = (cur.at - prev.at) / 1000;
  const d = cur.total - prev.total;
  if (!(dt > 0) || d < 0) return null;
  return d / dt;
}

/** CPU used by the server process, % of one core, between two /metrics readings (null until two, or when not reported). */
export function cpuPercent(m: Readings<EngineMetrics>): number | null {
  const r = ratePerSecond(
    m.prev ? { at: m.prev.at, total: m.prev.value.cpuSeconds } : null,
    { at: m.at, total: m.value.cpuSeconds },
  );
  return r === null ? null : r * 100;
}

/**
 * The `q` quantile (0–1) of a histogram's observations, in ms, as Prometheus' histogram_quantile
 * does it: linear within the bucket it falls in; one past the largest finite bound is that bound.
 * Null without observations.
 */
export function quantileMs(h: Histogram | undefined, q: number): number | null {
  if (!h || h.buckets.length === 0) return null;
  const total = h.buckets[h.buckets.length - 1]![1];
  if (!(total > 0)) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of h.buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lowerBound * 1000;
      const inBucket = count - lowerCount;
      const frac = inBucket > 0 ? (rank - lowerCount) / inBucket : 1;
      return (lowerBound + (le - lowerBound) * frac) * 1000;
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound * 1000;
}

/**
 * The observations between two readings of a histogram (bucket by bucket); the whole of `cur`
 * when there is no earlier reading, its buckets differ, or it went down (a restart).
 */
export function histogramSince(prev: Histogram | undefined, cur: Histogram): Histogram {
  if (!prev || prev.buckets.length !== cur.buckets.length) return cur;
  const buckets: [number, number][] = [];
  for (let i = 0; i < cur.buckets.length; i++) {
    const [le, n] = cur.buckets[i]!;
    const [ple, pn] = prev.buckets[i]!;
    if (le !== ple || n < pn) return cur;
    buckets.push([le, n - pn]);
  }
  return { buckets, count: cur.count - prev.count, sum: cur.sum - prev.sum };
}

/** Recorder write latency p95 of one camera over the last interval (since start when nothing was written in it). */
export function writeP95Ms(m: Readings<EngineMetrics> | undefined, cameraId: number): number | null {
  const cur = m?.value.writeLatency.get(cameraId);
  if (!m || !cur) return null;
  const recent = histogramSince(m.prev?.value.writeLatency.get(cameraId), cur);
  return quantileMs(recent.count > 0 ? recent : cur, 0.95);
}

export interface DetectorRow {
  running: boolean;
  /** `main` or `substream`. */
  source: string;
  /** Frames taken at detect_fps, a second. */
  sampledFps: number | null;
  /** Model runs a second. */
  analysedFps: number | null;
  /** Latest frame-arrival-to-result time. */
  latencyMs: number;
  /** Frames not analysed because the camera or the pool was busy (running total). */
  droppedBusy: number;
  /** Sampled frames not analysed because nothing moved (running total). */
  still: number;
  decodeErrors: number;
}

export interface CameraRow {
  id: number;
  name: string;
  enabled: boolean;
  state: CameraStatus;
  lastError: string | null;
  /** "H264 1920×1080", null until the camera has connected. */
  format: string | null;
  fps: number | null;
  bitrateKbps: number | null;
  reconnects: number | null;
  /** Packets the recorder's queue dropped (it fell behind). */
  recorderDrops: number | null;
  recordingErrors: number | null;
  /** Packets not recorded: the camera sent more than the bitrate ceiling. */
  overCeiling: number | null;
  writeP95Ms: number | null;
  /** Packets the live-view queues dropped (MSE/HLS and MJPEG). */
  liveDrops: number | null;
  liveViewers: number | null;
  /** Packets the detector's queue dropped. */
  detectQueueDrops: number | null;
  detectionEnabled: boolean;
  detector: DetectorRow | null;
}

function sumWhere(m: Record<string, number>, pred: (k: string) => boolean): number {
  let n = 0;
  for (const [k, v] of Object.entries(m)) if (pred(k)) n += v;
  return n;
}

function detectorRow(cur: CameraDetectionStats, prev: CameraDetectionStats | undefined, at: number, prevAt: number | null): DetectorRow {
  const before = prev && prevAt !== null ? prevAt : null;
  const rate = (f: (s: CameraDetectionStats) => number) =>
    ratePerSecond(before !== null && prev ? { at: before, total: f(prev) } : null, { at, total: f(cur) });
  return {
    running: cur.running,
    source: cur.source,
    sampledFps: rate((s) => s.frames_sampled),
    analysedFps: rate((s) => s.inferences),
    latencyMs: cur.last_latency_ms,
    droppedBusy: cur.frames_dropped_busy,
    still: cur.frames_still,
    decodeErrors: cur.decode_errors,
  };
}

export interface RowInputs {
  cameras: readonly Camera[];
  /** Each camera's latest `/cameras/{id}/status`, when read. */
  status: ReadonlyMap<number, StreamStatus>;
  detection: Readings<DetectionStatus> | undefined;
  metrics: Readings<EngineMetrics> | undefined;
}

/** One row per camera, in the camera list's order. */
export function cameraRows({ cameras, status, detection, metrics }: RowInputs): CameraRow[] {
  return cameras.map((c) => {
    const st = status.get(c.id);
    const det = detection?.value.cameras.find((d) => d.camera_id === c.id);
    const detPrev = detection?.prev?.value.cameras.find((d) => d.camera_id === c.id);
    const dropped = st?.dropped ?? null;
    const live = st && st.status === 'running';
    return {
      id: c.id,
      name: c.name,
      enabled: c.enabled,
      state: st?.status ?? c.status,
      lastError: st?.last_error ?? null,
      format: st?.codec ? `${st.codec.toUpperCase()}${st.width && st.height ? ` ${st.width}×${st.height}` : ''}` : null,
      fps: st ? (live ? st.fps : 0) : null,
      bitrateKbps: st ? (live ? st.bitrate_kbps : 0) : null,
      reconnects: st?.reconnects ?? null,
      recorderDrops: st ? st.recording.dropped_packets : null,
      recordingErrors: st ? st.recording.errors : null,
      overCeiling: metrics ? (metrics.value.overCeiling.get(c.id) ?? 0) : null,
      writeP95Ms: writeP95Ms(metrics, c.id),
      liveDrops: dropped ? sumWhere(dropped, (k) => k.startsWith('live')) : null,
      liveViewers: metrics ? (metrics.value.liveViewers.get(c.id) ?? 0) : null,
      detectQueueDrops: dropped ? sumWhere(dropped, (k) => k === 'detect') : null,
      detectionEnabled: c.detection_enabled,
      detector: det && detection ? detectorRow(det, detPrev, detection.at, detection.prev?.at ?? null) : null,
    };
  });
}

/** Cells worth a warning colour: a camera that lost packets or reconnected, a detector that could not keep up. */
export type Flag = 'reconnects' | 'recorderDrops' | 'recordingErrors' | 'overCeiling' | 'liveDrops' | 'detectQueueDrops' | 'detectorBusy';

export function rowFlags(r: CameraRow): Set<Flag> {
  const f = new Set<Flag>();
  const pos = (n: number | null | undefined) => n !== null && n !== undefined && n > 0;
  if (pos(r.reconnects)) f.add('reconnects');
  if (pos(r.recorderDrops)) f.add('recorderDrops');
  if (pos(r.recordingErrors)) f.add('recordingErrors');
  if (pos(r.overCeiling)) f.add('overCeiling');
  if (pos(r.liveDrops)) f.add('liveDrops');
  if (pos(r.detectQueueDrops)) f.add('detectQueueDrops');
  if (pos(r.detector?.droppedBusy)) f.add('detectorBusy');
  return f;
}

/** Model runs a second over every camera, between two readings of the detection status. */
export function inferencesPerSecond(d: Readings<DetectionStatus> | undefined): number | null {
  if (!d) return null;
  return ratePerSecond(d.prev ? { at: d.prev.at, total: d.prev.value.inferences } : null, { at: d.at, total: d.value.inferences });
}
