// Why: how the Storage page writes bytes, bit rates, days and instants for people — decimal units, as disks are sold and as the server's settings are written.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** 1 534 000 000 → "1.5 GB" (powers of 1000; one decimal below 100). */
export function humanBytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const neg = n < 0;
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1000 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const text = i === 0 ? String(Math.round(v)) : v.toFixed(v < 100 ? 1 : 0);
  return `${neg ? '-' : ''}${text} ${BYTE_UNITS[i]}`;
}

/** Bits a second → "4.2 Mbit/s" (0 → "—": nothing recorded in the last hour). */
export function humanBitrate(bps: number): string {
  if (!(bps > 0)) return '—';
  if (bps < 1e3) return `${Math.round(bps)} bit/s`;
  if (bps < 1e6) return `${(bps / 1e3).toFixed(bps < 1e4 ? 1 : 0)} kbit/s`;
  if (bps < 1e9) return `${(bps / 1e6).toFixed(bps < 1e7 ? 1 : 0)} Mbit/s`;
  return `${(bps / 1e9).toFixed(1)} Gbit/s`;
}

/** Days (fractional) → "12 days", "1.5 days", "5 h", "< 1 h"; null → "—". */
export function humanDays(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  if (days < 0) return '0 h';
  if (days < 1) {
    const h = days * 24;
    return h < 1 ? '< 1 h' : `${Math.floor(h)} h`;
  }
  const d = days < 10 ? Math.round(days * 10) / 10 : Math.round(days);
  return `${d} ${d === 1 ? 'day' : 'days'}`;
}

const whenFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const secFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const timeFmt = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function ms(v: string | number): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

/** An RFC 3339 string or epoch ms as a short local date and time; "—" when missing or unreadable. */
export function humanWhen(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const t = ms(v);
  return Number.isNaN(t) ? String(v) : whenFmt.format(t);
}

/** A span of footage: "01/06/2025, 10:00:00 – 10:05:00" (the end's date only when it differs). */
export function humanSpan(start: string | number, end: string | number): string {
  const a = ms(start);
  const b = ms(end);
  if (Number.isNaN(a) || Number.isNaN(b)) return `${start} – ${end}`;
  const sameDay = new Date(a).toDateString() === new Date(b).toDateString();
  return `${secFmt.format(a)} – ${sameDay ? timeFmt.format(b) : secFmt.format(b)}`;
}
