// Why: proves player time ⇄ wall time over a real-shaped Vigil VOD playlist — files, a gap skipped by laying pieces end to end, and absolute URIs for hls.js.
import { describe, expect, it } from 'vitest';
import { absolutizePlaylist, parseVodPlaylist, timeAtWall, wallAt, wallRange } from './playlist';

// What crates/record/src/playlist.rs writes for 118 s .. 302 s over files at 0, 60 s and 300 s:
// file 2's last two pieces, then (after a gap of 3 minutes) file 3's first piece.
const T = Date.UTC(2025, 0, 1); // 1970 in the Rust test; any epoch works.
const iso = (ms: number) => new Date(T + ms).toISOString();
const PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-START:TIME-OFFSET=0.000,PRECISE=YES
#EXT-X-MAP:URI="/api/v1/recordings/1/init.mp4"
#EXT-X-PROGRAM-DATE-TIME:${iso(116_000)}
#EXTINF:2.000,
/api/v1/recordings/1/media.m4s?offset=291000&len=10000&shift_ms=-116000
#EXT-X-MAP:URI="/api/v1/recordings/2/init.mp4"
#EXT-X-PROGRAM-DATE-TIME:${iso(118_000)}
#EXTINF:2.000,
/api/v1/recordings/2/media.m4s?offset=1000&len=10000&shift_ms=2000
#EXTINF:1.500,
/api/v1/recordings/2/media.m4s?offset=11000&len=10000&shift_ms=2000
#EXT-X-MAP:URI="/api/v1/recordings/3/init.mp4"
#EXT-X-PROGRAM-DATE-TIME:${iso(300_000)}
#EXTINF:2.000,
/api/v1/recordings/3/media.m4s?offset=1000&len=10000&shift_ms=5500
#EXT-X-ENDLIST
`;

describe('parseVodPlaylist', () => {
  it('lays pieces end to end from 0 with their wall times', () => {
    const map = parseVodPlaylist(PLAYLIST)!;
    expect(map.startOffset).toBe(0);
    expect(map.pieces).toEqual([
      { start: 0, duration: 2, wallStartMs: T + 116_000 },
      { start: 2, duration: 2, wallStartMs: T + 118_000 },
      { start: 4, duration: 1.5, wallStartMs: T + 120_000 },
      { start: 5.5, duration: 2, wallStartMs: T + 300_000 },
    ]);
    expect(wallRange(map)).toEqual({ startMs: T + 116_000, endMs: T + 302_000 });
  });

  it('refuses playlists without date-times or pieces', () => {
    expect(parseVodPlaylist('#EXTM3U\n#EXTINF:2.0,\n/x\n')).toBeNull();
    expect(parseVodPlaylist('#EXTM3U\n#EXT-X-ENDLIST\n')).toBeNull();
  });
});

describe('wall time ⇄ player time', () => {
  const map = parseVodPlaylist(PLAYLIST)!;

  it('maps player time to wall time across files and the gap', () => {
    expect(wallAt(map, 0)).toBe(T + 116_000);
    expect(wallAt(map, 3.25)).toBe(T + 119_250);
    expect(wallAt(map, 5.4)).toBeCloseTo(T + 121_400, 6);
    // After the gap: 5.5 s of player time is 300 s of wall time.
    expect(wallAt(map, 6.5)).toBe(T + 301_000);
    // Clamped at both ends.
    expect(wallAt(map, -1)).toBe(T + 116_000);
    expect(wallAt(map, 100)).toBe(T + 302_000);
  });

  it('maps wall time back, with an instant in the gap going to the next recording', () => {
    expect(timeAtWall(map, T + 119_250)).toEqual({ t: 3.25, inGap: false });
    expect(timeAtWall(map, T + 301_000)).toEqual({ t: 6.5, inGap: false });
    expect(timeAtWall(map, T + 200_000)).toEqual({ t: 5.5, inGap: true });
    expect(timeAtWall(map, T + 115_999)).toBeNull();
    expect(timeAtWall(map, T + 302_000)).toBeNull();
    for (const t of [0, 1.1, 2, 4.9, 5.5, 7.2]) {
      const back = timeAtWall(map, wallAt(map, t));
      expect(back?.t).toBeCloseTo(t, 6);
    }
  });
});

describe('absolutizePlaylist', () => {
  it('puts the server origin before root-relative URIs only', () => {
    const out = absolutizePlaylist(PLAYLIST, 'http://127.0.0.1:7878/');
    expect(out).toContain('#EXT-X-MAP:URI="http://127.0.0.1:7878/api/v1/recordings/1/init.mp4"');
    expect(out).toContain('\nhttp://127.0.0.1:7878/api/v1/recordings/3/media.m4s?offset=1000&len=10000&shift_ms=5500\n');
    expect(out).toContain('#EXTINF:1.500,');
    expect(parseVodPlaylist(out)).toEqual(parseVodPlaylist(PLAYLIST));
  });
});
