//! Start-up reconciliation of disk and index after a crash or power cut: a segment that was being
//! written is cut back to its last complete fragment and re-indexed (or removed if it has none);
//! a file the index does not know is indexed if it belongs to a known camera, else deleted; a row
//! whose file is gone is marked missing. Runs before any recorder starts.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};

use vigil_base::{ErrorKind, Result, ResultExt};
use vigil_db::Database;
use vigil_db::recordings::{self as q, Progress, RecordingRow};
use vigil_media::mp4::{self, FileScan};

use crate::index::{self, KeyframeEntry};
use crate::{StorageRoot, parse_segment_path};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// Interrupted segments cut back to their complete fragments.
    pub repaired: usize,
    /// Interrupted segments with no complete fragment, removed.
    pub removed_empty: usize,
    pub orphans_indexed: usize,
    pub orphans_deleted: usize,
    /// Files of cameras the index does not know, left in place after a restore.
    pub orphans_kept: usize,
    pub marked_missing: usize,
}

/// Bring the index and the files under `roots` into agreement.
pub fn reconcile(db: &Database, roots: &[StorageRoot]) -> Result<ReconcileReport> {
    reconcile_with(db, roots, false)
}

/// [`reconcile`]; with `after_restore` (the database was just restored from a snapshot older than
/// the files), a file of a camera the index does not know is kept rather than deleted: the camera
/// may have been added after the snapshot, and its footage is not Vigil's to throw away.
pub fn reconcile_with(
    db: &Database,
    roots: &[StorageRoot],
    after_restore: bool,
) -> Result<ReconcileReport> {
    let mut report = ReconcileReport::default();
    let root_of = |name: &str| roots.iter().find(|r| r.name == name);

    let interrupted = db.read_blocking(|c| q::list_by_state(c, "recording"))?;
    for row in interrupted {
        let Some(root) = root_of(&row.root) else {
            continue;
        };
        let path = root.resolve(&row.path);
        match repair_file(&path)? {
            Some(scan) => {
                let p = progress_from_scan(row.id, &scan, row.start_ms, "repaired");
                db.write_blocking(move |c| q::update_progress(c, &p))?;
                tracing::info!(camera_id = row.camera_id, path = %row.path, kept_bytes = scan.valid_len,
                    dropped_bytes = scan.file_len - scan.valid_len, "repaired an interrupted segment");
                report.repaired += 1;
            }
            None => {
                let _ = fs::remove_file(&path);
                let id = row.id;
                db.write_blocking(move |c| q::delete(c, id))?;
                report.removed_empty += 1;
            }
        }
    }

    let known: Vec<(i64, String, String, String)> = db.read_blocking(q::all_paths)?;
    let known_set: HashSet<(String, String)> = known
        .iter()
        .map(|(_, r, p, _)| (r.clone(), p.clone()))
        .collect();
    for (id, root, rel, state) in &known {
        if state == "missing" {
            continue;
        }
        if let Some(r) = root_of(root)
            && !r.resolve(rel).is_file()
        {
            let id = *id;
            db.write_blocking(move |c| q::set_state(c, id, "missing"))?;
            report.marked_missing += 1;
        }
    }

    let cameras: HashSet<i64> = db
        .read_blocking(vigil_db::cameras::list)?
        .iter()
        .map(|c| c.id)
        .collect();
    for root in roots {
        for file in walk_mp4(&root.dir) {
            let Ok(rel) = file.strip_prefix(&root.dir) else {
                continue;
            };
            let Some(rel_s) = rel.to_str() else { continue };
            if known_set.contains(&(root.name.clone(), rel_s.to_string())) {
                continue;
            }
            let segment = parse_segment_path(rel);
            let parsed = segment.filter(|(cam, _)| cameras.contains(cam));
            let scan = match parsed {
                Some(_) => repair_file(&file)?,
                None => None,
            };
            match (parsed, scan) {
                (Some((camera_id, start_ms)), Some(scan)) => {
                    let mut row = row_from_scan(camera_id, root, rel_s, start_ms, &scan);
                    row.id = db.next_recording_id();
                    db.write_blocking(move |c| q::insert(c, &row))?;
                    report.orphans_indexed += 1;
                }
                _ if after_restore && segment.is_some() && parsed.is_none() => {
                    tracing::warn!(path = %file.display(), "kept a file of a camera the restored database does not know");
                    report.orphans_kept += 1;
                }
                _ => {
                    tracing::warn!(path = %file.display(), "deleting a file that is no usable segment of a known camera");
                    let _ = fs::remove_file(&file);
                    report.orphans_deleted += 1;
                }
            }
        }
    }
    if report != ReconcileReport::default() {
        tracing::info!(?report, "reconciled recordings with the disk");
    }
    Ok(report)
}

/// Scan `path`; cut it back to its valid prefix (fsynced). `None` if it holds no complete fragment.
pub fn repair_file(path: &Path) -> Result<Option<FileScan>> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vigil_base::err!(Unavailable, "reading {}", path.display()).with_source(e));
        }
    };
    let Ok(scan) = mp4::scan(&bytes) else {
        return Ok(None);
    };
    if !scan.fragments.iter().any(|f| f.info.keyframe) {
        return Ok(None);
    }
    if scan.valid_len < scan.file_len {
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .err_kind(ErrorKind::Unavailable, || {
                format!("opening {}", path.display())
            })?;
        f.set_len(scan.valid_len)
            .err_kind(ErrorKind::Unavailable, || {
                format!("truncating {}", path.display())
            })?;
        f.sync_all()
            .err_kind(ErrorKind::Unavailable, || "fsync".into())?;
    }
    Ok(Some(scan))
}

fn keyframes(scan: &FileScan) -> (Vec<KeyframeEntry>, i64) {
    let ts = u128::from(
        scan.init
            .main_track()
            .map(|t| t.timescale)
            .unwrap_or(90_000)
            .max(1),
    );
    let first = scan
        .fragments
        .iter()
        .find(|f| f.info.samples > 0)
        .map(|f| f.info.decode_time)
        .unwrap_or(0);
    let mut out = vec![];
    let mut dur = 0u64;
    for f in &scan.fragments {
        if f.info.samples == 0 {
            continue;
        }
        if f.info.keyframe {
            out.push(KeyframeEntry {
                offset: f.offset,
                time_90k: (u128::from(f.info.decode_time.saturating_sub(first)) * 90_000 / ts)
                    as u64,
            });
        }
        dur += f.info.duration;
    }
    (out, (u128::from(dur) * 90_000 / ts) as i64)
}

fn progress_from_scan(id: i64, scan: &FileScan, start_ms: i64, state: &str) -> Progress {
    let (kf, d90) = keyframes(scan);
    Progress {
        id,
        state: state.into(),
        end_ms: start_ms + crate::ms_from_90k(d90),
        media_duration_90k: d90,
        bytes: scan.valid_len as i64,
        init_bytes: scan.init_len as i64,
        keyframe_index: index::encode(&kf),
    }
}

fn row_from_scan(
    camera_id: i64,
    root: &StorageRoot,
    rel: &str,
    start_ms: i64,
    scan: &FileScan,
) -> RecordingRow {
    let p = progress_from_scan(0, scan, start_ms, "repaired");
    let main = scan.init.main_track();
    let codec = match main.map(|t| &t.sample_entry) {
        Some(b"avc1") | Some(b"avc3") => "h264",
        Some(b"hvc1") | Some(b"hev1") => "hevc",
        Some(b"mp4a") => "aac",
        _ => "unknown",
    };
    RecordingRow {
        id: 0,
        camera_id,
        root: root.name.clone(),
        path: rel.to_string(),
        tier: "hot".into(),
        state: "repaired".into(),
        start_ms,
        end_ms: p.end_ms,
        media_duration_90k: p.media_duration_90k,
        bytes: p.bytes,
        init_bytes: scan.init_len as i64,
        codec: codec.into(),
        width: main.map(|t| i64::from(t.width)).unwrap_or(0),
        height: main.map(|t| i64::from(t.height)).unwrap_or(0),
        keyframe_index: p.keyframe_index,
        clock_jump_ms: 0,
        created_at_ms: start_ms,
    }
}

fn walk_mp4(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk_mp4(&p));
        } else if p.extension().is_some_and(|x| x == "mp4") {
            out.push(p);
        }
    }
    out
}
