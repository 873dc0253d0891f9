//! Export: one stream-copied MP4 of a camera between two instants, assembled from the recorded
//! segments that cover them, starting at the keyframe at or before the start.

use std::path::{Path, PathBuf};

use vigil_base::{Result, bail};
use vigil_db::recordings::RecordingRow;
use vigil_media::clip::ClipWriter;
use vigil_media::{Demuxer, SourceSpec};

use crate::index;

#[derive(Clone, Debug, PartialEq)]
pub struct ExportSummary {
    /// Wall time of the clip's first frame (the keyframe at or before the asked start).
    pub start_ms: i64,
    pub end_ms: i64,
    pub packets: u64,
    pub bytes: u64,
}

/// Write the clip of `[start_ms, end_ms)` from `rows` (oldest first, with their file paths) to
/// `out`. `progress` gets 0.0–1.0 as files are done.
pub fn export_clip(
    rows: &[(RecordingRow, PathBuf)],
    start_ms: i64,
    end_ms: i64,
    out: &Path,
    mut progress: impl FnMut(f64),
) -> Result<ExportSummary> {
    if end_ms <= start_ms {
        bail!(InvalidArgument, "end must be after start");
    }
    let rows: Vec<_> = rows
        .iter()
        .filter(|(r, _)| r.end_ms > start_ms && r.start_ms < end_ms && r.state != "missing")
        .collect();
    if rows.is_empty() {
        bail!(
            NotFound,
            code = NoRecordings,
            "nothing was recorded in that range"
        );
    }
    // The clip starts at the keyframe at or before `start_ms` in the first file.
    let first = &rows[0].0;
    let kf = index::decode(&first.keyframe_index)?;
    let clip_start = kf
        .iter()
        .map(|k| first.start_ms + crate::ms_from_90k(k.time_90k as i64))
        .rfind(|&t| t <= start_ms.max(first.start_ms))
        .unwrap_or(first.start_ms);
    let mut writer: Option<ClipWriter> = None;
    let mut packets = 0u64;
    let mut bytes = 0u64;
    let mut last_ms = clip_start;
    for (n, (row, path)) in rows.iter().enumerate() {
        let mut d = Demuxer::open(SourceSpec::File { path: path.clone() }, || false)?;
        let session = d.session().clone();
        if writer.is_none() {
            writer = Some(ClipWriter::create(out, &session)?);
        }
        let Some(w) = writer.as_mut() else { break };
        while let Some(p) = d.next_packet()? {
            let Some(s) = session.streams.get(p.stream) else {
                continue;
            };
            let (num, den) = s.time_base;
            let Some(dts) = p.dts.or(p.pts) else { continue };
            // Segment files start at decode time zero, which is the row's start on the wall clock.
            let at_us_in_file = dts * 1_000_000 * i64::from(num) / i64::from(den.max(1));
            let wall_us = row.start_ms * 1000 + at_us_in_file;
            if wall_us < clip_start * 1000 {
                continue;
            }
            if wall_us >= end_ms * 1000 {
                break;
            }
            w.write(&p, s.time_base, wall_us - clip_start * 1000)?;
            packets += 1;
            bytes += p.data.len() as u64;
            last_ms = last_ms.max(wall_us / 1000);
        }
        progress((n + 1) as f64 / rows.len() as f64);
    }
    match writer {
        Some(w) => w.finish()?,
        None => bail!(
            NotFound,
            code = NoRecordings,
            "nothing was recorded in that range"
        ),
    }
    Ok(ExportSummary {
        start_ms: clip_start,
        end_ms: last_ms,
        packets,
        bytes,
    })
}
