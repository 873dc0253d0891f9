// Why: durations and sizes with units exactly as the server reads them (crates/storage/src/units.rs) — `90s`, `7d`, `500GB`, `40MiB` — so the settings form refuses what the server would, with the same words, and writes the same shortest text back.

/** A parse result: the value, or the message the server would give. */
export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/** Seconds in each duration unit, longest first (as units.rs lists them). */
export const SPAN_UNITS: readonly (readonly [string, number])[] = [
  ['w', 7 * 86_400],
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** Bytes in each size unit: binary (powers of 1024) and decimal (powers of 1000, what disk makers print). */
export const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
  ['TB', 1e12],
  ['GB', 1e9],
  ['MB', 1e6],
  ['KB', 1e3],
  ['kB', 1e3],
  ['B', 1],
];

/** Longest span accepted: 100 years (longer is "forever", written by leaving the field empty). */
export const MAX_SPAN_SECS = 100 * 366 * 86_400;
/** Sizes are SQLite integers: below 2^63. */
const MAX_SIZE_BYTES = 9.2e18;

/** `<number><unit>` with optional spaces between; the number may have a fraction, not a sign or exponent. */
function splitNumber(s: string): { v: number; unit: string } | null {
  const t = s.trim();
  const m = /^[0-9.]*/.exec(t);
  const num = m ? m[0] : '';
  if (!num || num.startsWith('.') || num.endsWith('.')) return null;
  const v = Number(num);
  if (!Number.isFinite(v)) return null;
  return { v, unit: t.slice(num.length).trim() };
}

/** Rust's `{s:?}` for the strings a form holds: quoted, with quotes and backslashes escaped. */
function quoted(s: string): string {
  return JSON.stringify(s);
}

/** A duration (`90s`, `10m`, `12h`, `7d`, `2w`, `1.5h`) in whole seconds. */
export function parseDuration(s: string): Parsed {
  const p = splitNumber(s);
  if (!p) {
    return { ok: false, error: `${quoted(s)} is not a duration: write a number and a unit (90s, 10m, 12h, 7d, 2w)` };
  }
  const unit = SPAN_UNITS.find(([u]) => u === p.unit);
  if (!unit) return { ok: false, error: `${quoted(s)}: unknown unit ${quoted(p.unit)} (use s, m, h, d or w)` };
  // The same double arithmetic as the server, so "1.1h" is refused by both (3960.0000000000005 s).
  const secs = p.v * unit[1];
  if (!Number.isInteger(secs) || secs > MAX_SPAN_SECS) {
    return { ok: false, error: `${quoted(s)} must be a whole number of seconds of at most 100 years` };
  }
  return { ok: true, value: secs };
}

/** A size (`500GB`, `2GiB`, `1.5TB`, `10 kB`, `7B`) in bytes. */
export function parseSize(s: string): Parsed {
  const p = splitNumber(s);
  if (!p) {
    return { ok: false, error: `${quoted(s)} is not a size: write a number and a unit (500MB, 2GB, 1.5TB, 40MiB)` };
  }
  const unit = SIZE_UNITS.find(([u]) => u === p.unit);
  if (!unit) {
    return {
      ok: false,
      error: `${quoted(s)}: unknown unit ${quoted(p.unit)} (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)`,
    };
  }
  const bytes = p.v * unit[1];
  if (!Number.isInteger(bytes) || bytes >= MAX_SIZE_BYTES) {
    return { ok: false, error: `${quoted(s)} must be a whole number of bytes below 9 EB` };
  }
  return { ok: true, value: bytes };
}

function shortest(v: number, units: readonly (readonly [string, number])[]): string {
  const last = units[units.length - 1];
  if (v === 0) return `0${last ? last[0] : ''}`;
  const hit = units.filter(([u]) => u !== 'kB').find(([, m]) => v % m === 0);
  return hit ? `${v / hit[1]}${hit[0]}` : String(v);
}

/** Whole seconds as the server writes them: the largest exact unit, days rather than weeks (`30d`). */
export function formatDuration(secs: number): string {
  return shortest(
    secs,
    SPAN_UNITS.filter(([u]) => u !== 'w'),
  );
}

/** Bytes as the server writes them: decimal units when as short as binary ones (`500GB`, `40MiB`). */
export function formatSize(bytes: number): string {
  const dec = shortest(
    bytes,
    SIZE_UNITS.filter(([u]) => !u.includes('i')),
  );
  const bin = shortest(bytes, SIZE_UNITS);
  return dec.length <= bin.length ? dec : bin;
}
