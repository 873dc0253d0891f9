//! HLS (fMP4) VOD playlists over recorded segments: each file's `ftyp`+`moov` is a map, each
//! keyframe-to-keyframe run of its fragments one media segment. Every media segment is served with
//! its decode times shifted (`shift_ms`) so the whole playlist is one continuous timeline from 0 —
//! players that ignore discontinuities (FFmpeg's HLS demuxer) play it as well as hls.js does —
//! while `EXT-X-PROGRAM-DATE-TIME` keeps the wall-clock time of each file and after each gap. The
//! first segment is the one holding the requested instant; `EXT-X-START` points at the instant.

use std::fmt::Write as _;

use vigil_base::{Result, bail, format_rfc3339_ms};
use vigil_db::recordings::RecordingRow;

use crate::index;

/// One playable piece: a byte range of a recording file.
#[derive(Clone, Debug, PartialEq)]
pub struct VodSegment {
    pub recording_id: i64,
    pub offset: u64,
    pub len: u64,
    /// Wall-clock start.
    pub start_ms: i64,
    pub duration_ms: i64,
    /// Start within its file (media time).
    pub file_time_ms: i64,
    /// Added to the piece's decode times when served: playlist position minus `file_time_ms`.
    pub shift_ms: i64,
}

/// The pieces of `rows` (oldest first) that overlap `[start_ms, end_ms)`.
pub fn pieces(rows: &[RecordingRow], start_ms: i64, end_ms: i64) -> Result<Vec<VodSegment>> {
    let mut out = vec![];
    for r in rows {
        if r.bytes <= r.init_bytes || r.state == "missing" {
            continue;
        }
        let kf = index::decode(&r.keyframe_index)?;
        for (i, k) in kf.iter().enumerate() {
            let (end_off, end_90k) = match kf.get(i + 1) {
                Some(n) => (n.offset, n.time_90k),
                None => (r.bytes as u64, r.media_duration_90k.max(0) as u64),
            };
            if end_off <= k.offset {
                continue;
            }
            let s = r.start_ms + crate::ms_from_90k(k.time_90k as i64);
            let e = r.start_ms + crate::ms_from_90k(end_90k as i64);
            if e <= start_ms || s >= end_ms {
                continue;
            }
            let file_time_ms = crate::ms_from_90k(k.time_90k as i64);
            out.push(VodSegment {
                recording_id: r.id,
                offset: k.offset,
                len: end_off - k.offset,
                start_ms: s,
                duration_ms: (e - s).max(1),
                file_time_ms,
                shift_ms: 0,
            });
        }
    }
    // Lay the pieces end to end from 0.
    let mut position = 0i64;
    for p in &mut out {
        p.shift_ms = position - p.file_time_ms;
        position += p.duration_ms;
    }
    Ok(out)
}

/// Build the playlist. `init_uri(recording_id)` is the URI of a file's init segment (its first
/// `init_bytes`), `media_uri(piece)` the URI of a piece served with its decode times shifted.
pub fn vod_playlist(
    rows: &[RecordingRow],
    start_ms: i64,
    end_ms: i64,
    init_uri: impl Fn(i64) -> String,
    media_uri: impl Fn(&VodSegment) -> String,
) -> Result<String> {
    let segs = pieces(rows, start_ms, end_ms)?;
    let Some(first) = segs.first() else {
        bail!(
            NotFound,
            code = NoRecordings,
            "nothing was recorded in that range"
        );
    };
    let target = segs.iter().map(|s| s.duration_ms).max().unwrap_or(1000);
    let mut m = String::with_capacity(128 + segs.len() * 160);
    let _ = writeln!(m, "#EXTM3U");
    let _ = writeln!(m, "#EXT-X-VERSION:7");
    let _ = writeln!(m, "#EXT-X-PLAYLIST-TYPE:VOD");
    let _ = writeln!(m, "#EXT-X-INDEPENDENT-SEGMENTS");
    let _ = writeln!(m, "#EXT-X-TARGETDURATION:{}", (target + 999) / 1000);
    let _ = writeln!(m, "#EXT-X-MEDIA-SEQUENCE:0");
    let offset = (start_ms - first.start_ms).max(0) as f64 / 1000.0;
    let _ = writeln!(m, "#EXT-X-START:TIME-OFFSET={offset:.3},PRECISE=YES");
    let mut current: Option<&RecordingRow> = None;
    let mut prev_end: Option<i64> = None;
    for s in &segs {
        let Some(row) = rows.iter().find(|r| r.id == s.recording_id) else {
            continue;
        };
        if current.is_none_or(|c| c.id != row.id) {
            // Same timeline throughout; only a change of codec or picture size is a discontinuity.
            if current.is_some_and(|c| {
                (&c.codec, c.width, c.height) != (&row.codec, row.width, row.height)
            }) {
                let _ = writeln!(m, "#EXT-X-DISCONTINUITY");
            }
            let _ = writeln!(m, "#EXT-X-MAP:URI=\"{}\"", init_uri(row.id));
            let _ = writeln!(
                m,
                "#EXT-X-PROGRAM-DATE-TIME:{}",
                format_rfc3339_ms(s.start_ms)
            );
            current = Some(row);
        } else if prev_end.is_some_and(|p| (s.start_ms - p).abs() > 1000) {
            let _ = writeln!(
                m,
                "#EXT-X-PROGRAM-DATE-TIME:{}",
                format_rfc3339_ms(s.start_ms)
            );
        }
        let _ = writeln!(m, "#EXTINF:{:.3},", s.duration_ms as f64 / 1000.0);
        let _ = writeln!(m, "{}", media_uri(s));
        prev_end = Some(s.start_ms + s.duration_ms);
    }
    let _ = writeln!(m, "#EXT-X-ENDLIST");
    Ok(m)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::index::KeyframeEntry;

    pub(crate) fn row(id: i64, start_ms: i64, secs: u64) -> RecordingRow {
        let kf: Vec<_> = (0..secs / 2)
            .map(|i| KeyframeEntry {
                offset: 1000 + i * 10_000,
                time_90k: i * 180_000,
            })
            .collect();
        RecordingRow {
            id,
            camera_id: 1,
            root: "hot".into(),
            path: format!("{id}.mp4"),
            tier: "hot".into(),
            state: "complete".into(),
            start_ms,
            end_ms: start_ms + secs as i64 * 1000,
            media_duration_90k: secs as i64 * 90_000,
            bytes: 1000 + (secs / 2) as i64 * 10_000,
            init_bytes: 1000,
            codec: "h264".into(),
            width: 320,
            height: 240,
            keyframe_index: index::encode(&kf),
            clock_jump_ms: 0,
            created_at_ms: 0,
        }
    }

    #[test]
    fn starts_at_the_asked_instant_and_spans_files() {
        let mut rows = vec![row(1, 0, 60), row(2, 60_000, 60), row(3, 300_000, 60)];
        let media = |p: &VodSegment| {
            format!(
                "/r/{}/{}+{}@{}",
                p.recording_id, p.offset, p.len, p.shift_ms
            )
        };
        let m = vod_playlist(&rows, 59_000, 63_000, |id| format!("/r/{id}/init"), media).unwrap();
        // 59 s falls in the GOP 58–60 s of the first file; 63 s in the GOP 62–64 s of the second.
        assert!(
            m.contains("#EXT-X-START:TIME-OFFSET=1.000,PRECISE=YES"),
            "{m}"
        );
        assert_eq!(m.matches("#EXTINF:").count(), 3, "{m}");
        assert_eq!(
            m.matches("#EXT-X-DISCONTINUITY").count(),
            0,
            "same codec: one timeline"
        );
        assert!(m.contains("#EXT-X-MAP:URI=\"/r/1/init\""));
        // Pieces laid end to end: file 1 at 58 s plays at 0 (shift −58 s), file 2 at 0 s plays at 2 s.
        assert!(m.contains("/r/1/291000+10000@-58000\n"), "{m}");
        assert!(m.contains("/r/2/1000+10000@2000\n"), "{m}");
        assert!(m.contains("/r/2/11000+10000@2000\n"), "{m}");
        assert!(m.contains("#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:00:58.000Z"));
        assert!(m.ends_with("#EXT-X-ENDLIST\n"));
        // A gap gets a new date-time; a new picture size a discontinuity.
        rows[2].width = 640;
        let m = vod_playlist(&rows, 118_000, 302_000, |id| id.to_string(), media).unwrap();
        assert_eq!(m.matches("#EXT-X-DISCONTINUITY").count(), 1, "{m}");
        assert!(
            m.contains("#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:05:00.000Z"),
            "{m}"
        );
        assert_eq!(
            vod_playlist(&rows, 500_000, 600_000, |id| id.to_string(), media)
                .unwrap_err()
                .code(),
            vigil_base::ErrorCode::NoRecordings
        );
    }
}
