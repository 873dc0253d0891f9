// Why: maps the VOD playlist's media time to wall time and back — pieces laid end to end from 0, wall time from EXT-X-PROGRAM-DATE-TIME (crates/record/src/playlist.rs).

/** One media segment of the playlist. */
export interface PlaylistPiece {
  /** Start on the player's timeline (video.currentTime), seconds. */
  start: number;
  /** Seconds. */
  duration: number;
  /** Wall-clock start, epoch ms. */
  wallStartMs: number;
}

export interface PlaylistMap {
  pieces: PlaylistPiece[];
  /** EXT-X-START:TIME-OFFSET (seconds), where the server says the asked instant is. */
  startOffset: number | null;
}

/**
 * Parse an HLS VOD playlist. Each piece's wall time is the last EXT-X-PROGRAM-DATE-TIME plus the
 * durations since it (Vigil writes one per file and after each gap); pieces before any date-time
 * get none and make the map unusable (null).
 */
export function parseVodPlaylist(text: string): PlaylistMap | null {
  const pieces: PlaylistPiece[] = [];
  let startOffset: number | null = null;
  let nextWall: number | null = null;
  let pendingDuration: number | null = null;
  let position = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#EXT-X-START:')) {
      const m = /TIME-OFFSET=(-?[\d.]+)/.exec(line);
      if (m) startOffset = Number(m[1]);
    } else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const t = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      if (!Number.isNaN(t)) nextWall = t;
    } else if (line.startsWith('#EXTINF:')) {
      const d = Number.parseFloat(line.slice('#EXTINF:'.length));
      pendingDuration = Number.isFinite(d) && d > 0 ? d : 0;
    } else if (!line.startsWith('#') && pendingDuration !== null) {
      if (nextWall === null) return null;
      pieces.push({ start: position, duration: pendingDuration, wallStartMs: nextWall });
      position += pendingDuration;
      nextWall += pendingDuration * 1000;
      pendingDuration = null;
    }
  }
  return pieces.length ? { pieces, startOffset } : null;
}

/** Index of the piece holding player time `t` (the last one that starts at or before it). */
function pieceAtTime(pieces: readonly PlaylistPiece[], t: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pieces[mid]?.start ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Wall time (epoch ms) shown at player time `t` seconds; clamped to the playlist. */
export function wallAt(map: PlaylistMap, t: number): number {
  const { pieces } = map;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!first || !last) return NaN;
  if (t <= first.start) return first.wallStartMs;
  const p = pieces[pieceAtTime(pieces, t)] ?? last;
  const into = Math.min(t - p.start, p.duration);
  return p.wallStartMs + into * 1000;
}

/** The recorded wall range the playlist covers (with gaps inside it). */
export function wallRange(map: PlaylistMap): { startMs: number; endMs: number } {
  const first = map.pieces[0];
  const last = map.pieces[map.pieces.length - 1];
  if (!first || !last) return { startMs: NaN, endMs: NaN };
  return { startMs: first.wallStartMs, endMs: last.wallStartMs + last.duration * 1000 };
}

export interface PlaylistPosition {
  /** Player time, seconds. */
  t: number;
  /** The instant was not recorded: `t` is the start of the next recorded piece. */
  inGap: boolean;
}

/**
 * Player time showing wall instant `wallMs`, or null when it is outside what the playlist covers.
 * An instant in a gap maps to the start of the next recorded piece.
 */
export function timeAtWall(map: PlaylistMap, wallMs: number): PlaylistPosition | null {
  const { pieces } = map;
  const range = wallRange(map);
  if (!(wallMs >= range.startMs && wallMs < range.endMs)) return null;
  // Wall times rise with player time (the server never overlaps segments): binary search.
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pieces[mid]?.wallStartMs ?? Infinity) <= wallMs) lo = mid;
    else hi = mid - 1;
  }
  const p = pieces[lo];
  if (!p) return null;
  const into = (wallMs - p.wallStartMs) / 1000;
  if (into < p.duration) return { t: p.start + into, inGap: false };
  const next = pieces[lo + 1];
  return next ? { t: next.start, inGap: true } : null;
}

/**
 * Make the playlist's root-relative URIs (`/api/v1/recordings/…` and `#EXT-X-MAP:URI="/…"`) absolute,
 * so the text can be handed to hls.js from a blob: URL.
 */
export function absolutizePlaylist(text: string, origin: string): string {
  const base = origin.replace(/\/+$/, '');
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('/')) return base + line;
      if (line.startsWith('#EXT-X-MAP:')) return line.replace(/URI="\//, `URI="${base}/`);
      return line;
    })
    .join('\n');
}
