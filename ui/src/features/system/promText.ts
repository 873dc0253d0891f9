// Why: reads the few figures the System page needs out of the Prometheus text of GET /metrics (uptime, the database writer, events clients, recorder ceiling drops and write latency, live viewers, process CPU and memory when the server reports them) — everything else in it is skipped.

/** One sample line: `name{a="b"} 1.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Cumulative bucket counts of one histogram series, by upper bound (`le`, +Inf last). */
export interface Histogram {
  /** `[upper bound in seconds, cumulative count]`, sorted by bound. */
  buckets: [number, number][];
  count: number;
  sum: number;
}

/** What the page shows from `/metrics`. A figure the server does not report is null. */
export interface EngineMetrics {
  /** Seconds since the API started. */
  uptimeSeconds: number | null;
  version: string | null;
  /** Standard process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`). */
  cpuSeconds: number | null;
  residentBytes: number | null;
  streamsRunning: number | null;
  /** Cameras by stream status. */
  cameras: Record<string, number>;
  eventsClients: number | null;
  eventsLagged: number | null;
  db: {
    queued: number | null;
    written: number | null;
    dropped: number | null;
    batches: number | null;
    failedBatches: number | null;
    pendingRetry: number | null;
    maxBatchMicros: number | null;
  };
  /** Per camera id. */
  overCeiling: Map<number, number>;
  writeLatency: Map<number, Histogram>;
  liveViewers: Map<number, number>;
}

/** The metric families read; lines of any other family are not even split. */
export const WANTED = [
  'vigil_uptime_seconds',
  'vigil_build_info',
  'vigil_cameras',
  'vigil_streams_running',
  'vigil_events_ws_clients',
  'vigil_events_ws_lagged',
  'vigil_db_writer_ops',
  'vigil_db_writer_batches',
  'vigil_db_writer_failed_batches',
  'vigil_db_writer_pending_retry',
  'vigil_db_writer_max_batch_microseconds',
  'vigil_recorder_over_ceiling_packets',
  'vigil_recorder_write_latency_seconds',
  'vigil_live_viewers',
  'process_cpu_seconds',
  'process_resident_memory_bytes',
] as const;

/** A family's sample name with the suffixes the text format adds (`_total`, `_bucket`, ...) taken off. */
function family(name: string): string {
  return name.replace(/_(total|bucket|count|sum|created|info)$/, '');
}

function parseValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** `a="x",b="y\"z"` → {a: 'x', b: 'y"z'}; null when malformed. */
function parseLabels(s: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    while (s[i] === ',' || s[i] === ' ') i++;
    if (i >= s.length) break;
    const eq = s.indexOf('=', i);
    if (eq < 0 || s[eq + 1] !== '"') return null;
    const key = s.slice(i, eq).trim();
    let j = eq + 2;
    let v = '';
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\' && j + 1 < s.length) {
        j++;
        v += s[j] === 'n' ? '\n' : s[j];
      } else v += s[j];
    }
    if (j >= s.length) return null;
    out[key] = v;
    i = j + 1;
  }
  return out;
}

/** The sample lines of the wanted families (by family name, so `x_total` and `x_bucket` count as `x`). */
export function parseSamples(text: string, wanted: readonly string[] = WANTED): Sample[] {
  const want = new Set(wanted);
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    const nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
    if (nameEnd <= 0) continue;
    const name = line.slice(0, nameEnd);
    if (!want.has(name) && !want.has(family(name))) continue;
    let labels: Record<string, string> = {};
    let rest: string;
    if (line[nameEnd] === '{') {
      const close = line.lastIndexOf('}');
      if (close < nameEnd) continue;
      const parsed = parseLabels(line.slice(nameEnd + 1, close));
      if (!parsed) continue;
      labels = parsed;
      rest = line.slice(close + 1);
    } else rest = line.slice(nameEnd);
    const value = parseValue(rest.trim().split(/\s+/)[0] ?? '');
    if (Number.isNaN(value)) continue;
    out.push({ name, labels, value });
  }
  return out;
}

function cameraId(s: Sample): number | null {
  const v = s.labels['camera'];
  if (v === undefined || !/^\d+$/.test(v)) return null;
  return Number(v);
}

/** The page's figures from the text of `/metrics`. */
export function engineMetrics(text: string): EngineMetrics {
  const m: EngineMetrics = {
    uptimeSeconds: null,
    version: null,
    cpuSeconds: null,
    residentBytes: null,
    streamsRunning: null,
    cameras: {},
    eventsClients: null,
    eventsLagged: null,
    db: { queued: null, written: null, dropped: null, batches: null, failedBatches: null, pendingRetry: null, maxBatchMicros: null },
    overCeiling: new Map(),
    writeLatency: new Map(),
    liveViewers: new Map(),
  };
  const histogram = (id: number): Histogram => {
    let h = m.writeLatency.get(id);
    if (!h) {
      h = { buckets: [], count: 0, sum: 0 };
      m.writeLatency.set(id, h);
    }
    return h;
  };
  for (const s of parseSamples(text)) {
    const id = cameraId(s);
    switch (s.name) {
      case 'vigil_uptime_seconds':
        m.uptimeSeconds = s.value;
        break;
      case 'vigil_build_info':
        m.version = s.labels['version'] ?? null;
        break;
      case 'process_cpu_seconds_total':
        m.cpuSeconds = s.value;
        break;
      case 'process_resident_memory_bytes':
        m.residentBytes = s.value;
        break;
      case 'vigil_streams_running':
        m.streamsRunning = s.value;
        break;
      case 'vigil_cameras': {
        const st = s.labels['status'];
        if (st) m.cameras[st] = s.value;
        break;
      }
      case 'vigil_events_ws_clients':
        m.eventsClients = s.value;
        break;
      case 'vigil_events_ws_lagged_total':
        m.eventsLagged = s.value;
        break;
      case 'vigil_db_writer_ops_total': {
        const o = s.labels['outcome'];
        if (o === 'queued' || o === 'written' || o === 'dropped') m.db[o] = s.value;
        break;
      }
      case 'vigil_db_writer_batches_total':
        m.db.batches = s.value;
        break;
      case 'vigil_db_writer_failed_batches_total':
        m.db.failedBatches = s.value;
        break;
      case 'vigil_db_writer_pending_retry':
        m.db.pendingRetry = s.value;
        break;
      case 'vigil_db_writer_max_batch_microseconds':
        m.db.maxBatchMicros = s.value;
        break;
      case 'vigil_recorder_over_ceiling_packets_total':
        if (id !== null) m.overCeiling.set(id, s.value);
        break;
      case 'vigil_live_viewers':
        if (id !== null) m.liveViewers.set(id, (m.liveViewers.get(id) ?? 0) + s.value);
        break;
      case 'vigil_recorder_write_latency_seconds_bucket': {
        const le = s.labels['le'];
        if (id !== null && le !== undefined) histogram(id).buckets.push([parseValue(le), s.value]);
        break;
      }
      case 'vigil_recorder_write_latency_seconds_count':
        if (id !== null) histogram(id).count = s.value;
        break;
      case 'vigil_recorder_write_latency_seconds_sum':
        if (id !== null) histogram(id).sum = s.value;
        break;
    }
  }
  for (const h of m.writeLatency.values()) h.buckets.sort((a, b) => a[0] - b[0]);
  return m;
}
