// Why: pins what the System page works out — rates from two readings (none on the first, none across a reset), CPU %, histogram percentiles over the last interval, and each camera's row with its flags.
import { describe, expect, it } from 'vitest';
import { camera } from '../../test/fixtures';
import {
  cameraRows,
  cpuPercent,
  histogramSince,
  inferencesPerSecond,
  nextReadings,
  quantileMs,
  ratePerSecond,
  rowFlags,
  writeP95Ms,
} from './derive';
import type { Readings } from './derive';
import { engineMetrics } from './promText';
import type { EngineMetrics, Histogram } from './promText';
import { METRICS_TEXT, detectionStatus, detectorStats, streamStatus } from './testData';
import type { DetectionStatus } from './types';

const hist = (buckets: [number, number][]): Histogram => ({ buckets, count: buckets[buckets.length - 1]?.[1] ?? 0, sum: 0 });

describe('readings and rates', () => {
  it('keeps one reading back, never a chain', () => {
    const a = nextReadings(undefined, 1000, 'a');
    expect(a).toEqual({ at: 1000, value: 'a', prev: null });
    const b = nextReadings(a, 2000, 'b');
    const c = nextReadings(b, 3000, 'c');
    expect(c).toEqual({ at: 3000, value: 'c', prev: { at: 2000, value: 'b' } });
  });

  it('a rate needs two readings, time between them and a total that did not go down', () => {
    expect(ratePerSecond(null, { at: 1000, total: 5 })).toBeNull();
    expect(ratePerSecond({ at: 1000, total: 5 }, { at: 3000, total: 15 })).toBe(5);
    expect(ratePerSecond({ at: 1000, total: 5 }, { at: 1000, total: 15 })).toBeNull();
    expect(ratePerSecond({ at: 1000, total: 50 }, { at: 3000, total: 15 })).toBeNull();
    expect(ratePerSecond({ at: 1000, total: null }, { at: 3000, total: 15 })).toBeNull();
  });

  it('CPU % of one core from process_cpu_seconds_total', () => {
    const m = (cpu: number | null): EngineMetrics => ({ ...engineMetrics(METRICS_TEXT), cpuSeconds: cpu });
    expect(cpuPercent(nextReadings(undefined, 0, m(10)))).toBeNull();
    expect(cpuPercent(nextReadings(nextReadings(undefined, 0, m(10)), 5000, m(11.5)))).toBeCloseTo(30);
    expect(cpuPercent(nextReadings(nextReadings(undefined, 0, m(null)), 5000, m(null)))).toBeNull();
  });

  it('inferences a second over every camera', () => {
    const r = nextReadings(nextReadings(undefined, 0, detectionStatus({ inferences: 100 })), 2000, detectionStatus({ inferences: 120 }));
    expect(inferencesPerSecond(r)).toBe(10);
    expect(inferencesPerSecond(undefined)).toBeNull();
  });
});

describe('histogram percentiles', () => {
  const h = hist([
    [0.001, 10],
    [0.005, 50],
    [0.05, 99],
    [Infinity, 100],
  ]);

  it('interpolates within the bucket, like histogram_quantile', () => {
    // rank 50 falls at the top of the 1–5 ms bucket.
    expect(quantileMs(h, 0.5)).toBeCloseTo(5);
    // rank 95: 45 of the 49 in 5–50 ms.
    expect(quantileMs(h, 0.95)).toBeCloseTo(5 + (45 / 49) * 45);
    // rank 5 in the first bucket, from 0.
    expect(quantileMs(h, 0.05)).toBeCloseTo(0.5);
  });

  it('past the largest finite bound is that bound; nothing observed is null', () => {
    expect(quantileMs(hist([[0.01, 0], [Infinity, 10]]), 0.95)).toBe(10);
    expect(quantileMs(hist([[0.01, 0], [Infinity, 0]]), 0.95)).toBeNull();
    expect(quantileMs(undefined, 0.5)).toBeNull();
  });

  it('takes the observations since the previous reading, or all of them after a reset', () => {
    const before = hist([[0.001, 10], [0.005, 40], [Infinity, 40]]);
    const after = hist([[0.001, 10], [0.005, 40], [Infinity, 60]]);
    const since = histogramSince(before, after);
    expect(since.buckets).toEqual([[0.001, 0], [0.005, 0], [Infinity, 20]]);
    expect(since.count).toBe(20);
    expect(histogramSince(after, before)).toBe(before);
    expect(histogramSince(undefined, after)).toBe(after);
  });

  it('write p95 over the last interval, or since start when nothing was written in it', () => {
    const m = (h: Histogram): EngineMetrics => ({ ...engineMetrics(''), writeLatency: new Map([[1, h]]) });
    const slow = hist([[0.001, 0], [0.1, 10], [Infinity, 10]]);
    const thenFast = hist([[0.001, 100], [0.1, 110], [Infinity, 110]]);
    const r = nextReadings(nextReadings(undefined, 0, m(slow)), 5000, m(thenFast));
    expect(writeP95Ms(r, 1)).toBeCloseTo(0.95);
    const idle = nextReadings(nextReadings(undefined, 0, m(slow)), 5000, m(slow));
    expect(writeP95Ms(idle, 1)).toBeCloseTo(95.05);
    expect(writeP95Ms(idle, 2)).toBeNull();
  });
});

describe('camera rows', () => {
  const metrics = nextReadings(undefined, 0, engineMetrics(METRICS_TEXT));
  const detection: Readings<DetectionStatus> = nextReadings(
    nextReadings(undefined, 0, detectionStatus({ cameras: [detectorStats({ frames_sampled: 100, inferences: 80 })] })),
    4000,
    detectionStatus({ cameras: [detectorStats({ frames_sampled: 120, inferences: 90, frames_dropped_busy: 3 })] }),
  );

  it('joins the camera list, stream status, detector and /metrics', () => {
    const [row, other] = cameraRows({
      cameras: [camera({ id: 1, name: 'Front door', detection_enabled: true }), camera({ id: 2, name: 'Yard', status: 'reconnecting' })],
      status: new Map([
        [
          1,
          streamStatus({
            dropped: { recorder: 2, 'live-fmp4': 1, 'live-mjpeg': 4, detect: 5 },
            recording: { enabled: true, segments: 1, bytes: 1, dropped_packets: 2, errors: 0 },
          }),
        ],
      ]),
      detection,
      metrics,
    });
    expect(row).toMatchObject({
      id: 1,
      name: 'Front door',
      state: 'running',
      format: 'H264 1920×1080',
      fps: 25,
      bitrateKbps: 4200,
      reconnects: 0,
      recorderDrops: 2,
      liveDrops: 5,
      detectQueueDrops: 5,
      liveViewers: 3,
      overCeiling: 0,
      detector: { sampledFps: 5, analysedFps: 2.5, latencyMs: 48, droppedBusy: 3, source: 'main', running: true },
    });
    expect(row!.writeP95Ms).toBeCloseTo(5 + (45 / 49) * 45);
    expect([...rowFlags(row!)].sort()).toEqual(['detectQueueDrops', 'detectorBusy', 'liveDrops', 'recorderDrops']);
    // No status read yet: the list's state, nothing made up.
    expect(other).toMatchObject({ id: 2, state: 'reconnecting', fps: null, bitrateKbps: null, reconnects: null, detector: null, overCeiling: 17 });
    expect([...rowFlags(other!)]).toEqual(['overCeiling']);
  });

  it('a camera that is not running shows no rate, whatever was last measured', () => {
    const [row] = cameraRows({
      cameras: [camera({ id: 1 })],
      status: new Map([[1, streamStatus({ status: 'reconnecting', fps: 25, bitrate_kbps: 900, reconnects: 3, last_error: 'timeout' })]]),
      detection: undefined,
      metrics: undefined,
    });
    expect(row).toMatchObject({ state: 'reconnecting', fps: 0, bitrateKbps: 0, reconnects: 3, lastError: 'timeout', overCeiling: null, writeP95Ms: null });
    expect(rowFlags(row!).has('reconnects')).toBe(true);
  });
});
