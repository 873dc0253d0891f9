//! Continuous recording without re-encoding. `writer` turns a camera's feed into fragmented-MP4
//! segments of about a minute, fsyncing every fragment before the index says it exists;
//! `reconcile` repairs what a crash left; `index` is the compact per-segment keyframe index that
//! `playlist` (HLS VOD), `timeline` and `export` read; `service` answers the API's questions
//! about recordings and runs exports.

pub mod export;
pub mod index;
pub mod playlist;
pub mod reconcile;
mod segment_file;
pub mod service;
pub mod timeline;
pub mod writer;

use std::path::{Path, PathBuf};

/// A storage root: a named directory segments are written under (tiers come later).
#[derive(Clone, Debug)]
pub struct StorageRoot {
    pub name: String,
    pub dir: PathBuf,
}

impl StorageRoot {
    pub fn new(name: impl Into<String>, dir: impl Into<PathBuf>) -> Self {
        StorageRoot {
            name: name.into(),
            dir: dir.into(),
        }
    }
    pub fn resolve(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

/// `<camera>/<YYYY-MM-DD>/<HH>/<start_ms>.mp4` (UTC).
pub fn segment_path(camera_id: i64, start_ms: i64) -> String {
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(start_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{camera_id}/{:04}-{:02}-{:02}/{:02}/{start_ms}.mp4",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour()
    )
}

/// Parse a relative segment path back into (camera id, start ms).
pub fn parse_segment_path(rel: &Path) -> Option<(i64, i64)> {
    let parts: Vec<_> = rel.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    if parts.len() != 4 {
        return None;
    }
    let camera = parts[0].parse().ok()?;
    let start = parts[3].strip_suffix(".mp4")?.parse().ok()?;
    (segment_path(camera, start) == rel.to_str()?).then_some((camera, start))
}

/// 90 kHz ticks to milliseconds, rounding down.
pub fn ms_from_90k(t: i64) -> i64 {
    t / 90
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let p = segment_path(7, 1_763_712_000_123);
        assert_eq!(p, "7/2025-11-21/08/1763712000123.mp4");
        assert_eq!(
            parse_segment_path(Path::new(&p)),
            Some((7, 1_763_712_000_123))
        );
        assert_eq!(
            parse_segment_path(Path::new("7/2025-11-21/09/1763712000123.mp4")),
            None
        );
        assert_eq!(parse_segment_path(Path::new("x/y.mp4")), None);
    }
}
