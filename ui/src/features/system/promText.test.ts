// Why: pins the /metrics reader — only the wanted families, labels with escapes, counters' _total names, histogram buckets per camera, +Inf, and figures the server does not report left null.
import { describe, expect, it } from 'vitest';
import { engineMetrics, parseSamples } from './promText';
import { METRICS_TEXT } from './testData';

describe('parseSamples', () => {
  it('reads only the wanted families, by family name', () => {
    const s = parseSamples(METRICS_TEXT, ['vigil_db_writer_ops', 'vigil_uptime_seconds']);
    expect(s.map((x) => x.name)).toEqual([
      'vigil_uptime_seconds',
      'vigil_db_writer_ops_total',
      'vigil_db_writer_ops_total',
      'vigil_db_writer_ops_total',
    ]);
    expect(s[1]).toEqual({ name: 'vigil_db_writer_ops_total', labels: { outcome: 'queued' }, value: 120 });
  });

  it('reads escaped label values, +Inf, timestamps, and skips what it cannot read', () => {
    const text = [
      'x{a="q\\"uote",b="back\\\\slash",c="new\\nline",d="{,}"} 1 1717236000000',
      'x{le="+Inf"} +Inf',
      'x{broken} 2',
      'x NaN',
      'x not-a-number',
      '  x   7  ',
      'xy 3',
    ].join('\n');
    expect(parseSamples(text, ['x'])).toEqual([
      { name: 'x', labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline', d: '{,}' }, value: 1 },
      { name: 'x', labels: { le: '+Inf' }, value: Infinity },
      { name: 'x', labels: {}, value: 7 },
    ]);
  });
});

describe('engineMetrics', () => {
  it('gathers the page’s figures', () => {
    const m = engineMetrics(METRICS_TEXT);
    expect(m.uptimeSeconds).toBe(3725.5);
    expect(m.version).toBe('0.3.0');
    expect(m.streamsRunning).toBe(2);
    expect(m.cameras).toEqual({ running: 2, reconnecting: 1, stopped: 0 });
    expect(m.eventsClients).toBe(2);
    expect(m.eventsLagged).toBe(0);
    expect(m.db).toEqual({ queued: 120, written: 118, dropped: 0, batches: 40, failedBatches: 1, pendingRetry: 0, maxBatchMicros: 4200 });
    expect([...m.overCeiling]).toEqual([
      [1, 0],
      [2, 17],
    ]);
    expect(m.liveViewers.get(1)).toBe(3);
    expect(m.writeLatency.get(1)).toEqual({
      buckets: [
        [0.001, 10],
        [0.005, 50],
        [0.05, 99],
        [Infinity, 100],
      ],
      count: 100,
      sum: 1.5,
    });
  });

  it('leaves CPU and memory null when the server does not report them, and reads the standard process metrics when it does', () => {
    const without = engineMetrics(METRICS_TEXT);
    expect(without.cpuSeconds).toBeNull();
    expect(without.residentBytes).toBeNull();
    const withProc = engineMetrics(
      `${METRICS_TEXT}process_cpu_seconds_total 12.5\nprocess_resident_memory_bytes 1.34217728e+08\n`,
    );
    expect(withProc.cpuSeconds).toBe(12.5);
    expect(withProc.residentBytes).toBe(134217728);
  });

  it('is empty for an empty or foreign text', () => {
    const m = engineMetrics('<html>proxy error</html>');
    expect(m.uptimeSeconds).toBeNull();
    expect(m.writeLatency.size).toBe(0);
    expect(m.db.written).toBeNull();
  });
});
