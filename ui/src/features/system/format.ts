// Why: how the System page writes rates, durations, memory and counts for people — "4.2 Mbit/s", "3 d 4 h", "512 MiB", "12 ms", "—" for what is not known.

/** Not known (no sample yet, not reported). */
export const NONE = '—';

const known = (n: number | null | undefined): n is number => n !== null && n !== undefined && Number.isFinite(n);

/** Kilobits a second (as `/cameras/{id}/status` sends them) → "850 kbit/s", "4.2 Mbit/s", "12 Mbit/s". */
export function humanKbps(kbps: number | null | undefined): string {
  if (!known(kbps)) return NONE;
  if (kbps <= 0) return '0 kbit/s';
  if (kbps < 10) return `${kbps.toFixed(1)} kbit/s`;
  if (kbps < 1000) return `${Math.round(kbps)} kbit/s`;
  const mbps = kbps / 1000;
  if (mbps < 1000) return `${mbps.toFixed(mbps < 10 ? 1 : 0)} Mbit/s`;
  return `${(mbps / 1000).toFixed(1)} Gbit/s`;
}

/** Frames (or anything) a second → "25", "12.5", "0.2". */
export function humanRate(perSecond: number | null | undefined): string {
  if (!known(perSecond)) return NONE;
  if (perSecond <= 0) return '0';
  if (perSecond < 1) return perSecond.toFixed(1);
  if (perSecond < 100 && Math.abs(perSecond - Math.round(perSecond)) >= 0.05) return perSecond.toFixed(1);
  return String(Math.round(perSecond));
}

/** Seconds → "42 s", "12 min 5 s", "4 h 12 min", "3 d 4 h" (the two largest units). */
export function humanUptime(seconds: number | null | undefined): string {
  if (!known(seconds)) return NONE;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const MEM_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes of memory → "512 MiB", "1.2 GiB" (powers of 1024, as memory is counted). */
export function humanMemory(bytes: number | null | undefined): string {
  if (!known(bytes)) return NONE;
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1024 && i < MEM_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 1 : 0)} ${MEM_UNITS[i]}`;
}

/** Milliseconds → "0.4 ms", "12 ms", "1.3 s". */
export function humanMs(ms: number | null | undefined): string {
  if (!known(ms)) return NONE;
  if (ms < 0) return NONE;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A percentage → "7 %", "0.4 %", "135 %" (over 100: more than one core). */
export function humanPercent(pct: number | null | undefined): string {
  if (!known(pct)) return NONE;
  const p = Math.max(0, pct);
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

const countFmt = new Intl.NumberFormat('en-US');

/** A running total → "1,234"; "—" when not known. */
export function humanCount(n: number | null | undefined): string {
  return known(n) ? countFmt.format(Math.round(n)) : NONE;
}
