//! Exports: a camera's recordings over a range cut into one MP4 in the background, with progress
//! on the event bus and the file kept under `DATA_DIR/exports`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use utoipa::ToSchema;
use vigil_base::sync::lock;
use vigil_base::{FieldErrors, Result, bail, err};
use vigil_db::recordings as q;

use super::{RecordEvent, RecordingService, camera_exists};

/// `POST /exports` body.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    pub camera_id: i64,
    /// Epoch ms or RFC 3339.
    #[schema(value_type = vigil_base::fields::InstantParam)]
    pub start: serde_json::Value,
    #[schema(value_type = vigil_base::fields::InstantParam)]
    pub end: serde_json::Value,
}

/// An export job.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportJob {
    pub id: u64,
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// `running`, `done`, `failed`.
    pub status: String,
    /// 0.0–1.0.
    pub progress: f64,
    pub error: Option<String>,
    pub bytes: Option<u64>,
    /// Once done: wall time of the file's first frame (the keyframe at or before `start_ms`, or
    /// the first recorded after it) and of its last; what the file holds, which is less than
    /// asked when the range begins or ends where nothing was recorded.
    pub clip_start_ms: Option<i64>,
    pub clip_end_ms: Option<i64>,
}

type Jobs = Arc<Mutex<HashMap<u64, ExportJob>>>;

pub(super) struct Exports {
    dir: PathBuf,
    next: AtomicU64,
    jobs: Jobs,
    /// When each export's file was last downloaded (wall ms): retention counts from there.
    downloaded: Mutex<HashMap<u64, i64>>,
}

impl Exports {
    pub(super) fn new(dir: PathBuf) -> Exports {
        Exports {
            dir,
            next: AtomicU64::new(0),
            jobs: Jobs::default(),
            downloaded: Mutex::default(),
        }
    }
}

/// An export never downloaded is kept this many retention periods (a week at the default 24 h).
const UNFETCHED_FACTOR: i64 = 7;

/// The longest range one export covers.
const MAX_EXPORT_MS: i64 = 24 * 3_600_000;

impl RecordingService {
    pub async fn start_export(&self, req: ExportRequest) -> Result<ExportJob> {
        let instant = |name: &str, v: &serde_json::Value, f: &mut FieldErrors| {
            let ms = vigil_base::fields::instant_value(v);
            if ms.is_none() {
                f.insert(name.into(), "must be epoch milliseconds or RFC 3339".into());
            }
            ms.unwrap_or(0)
        };
        let mut f = FieldErrors::new();
        let start_ms = instant("start", &req.start, &mut f);
        let end_ms = instant("end", &req.end, &mut f);
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f));
        }
        // An empty (or reversed) range holds no recording: NO_RECORDINGS below says so.
        if end_ms.saturating_sub(start_ms) > MAX_EXPORT_MS {
            bail!(
                FailedPrecondition,
                code = ExportTooLong,
                "an export may be at most 24 hours; export longer spans in parts"
            );
        }
        let camera_id = req.camera_id;
        camera_exists(&self.db, camera_id).await?;
        let rows = self
            .db
            .read(move |c| q::list_range(c, Some(camera_id), start_ms, end_ms, 100_000, 0))
            .await?;
        if rows.is_empty() {
            bail!(
                NotFound,
                code = NoRecordings,
                "nothing was recorded in that range"
            );
        }
        let rows: Vec<_> = rows
            .into_iter()
            .map(|r| {
                let p = self.storage.locate(&r.root, &r.path)?;
                Ok((r, p))
            })
            .collect::<Result<_>>()?;
        let exports = &self.exports;
        let id = exports.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = ExportJob {
            id,
            camera_id,
            start_ms,
            end_ms,
            status: "running".into(),
            progress: 0.0,
            error: None,
            bytes: None,
            clip_start_ms: None,
            clip_end_ms: None,
        };
        lock(&exports.jobs).insert(id, job.clone());
        let dir = exports.dir.clone();
        std::fs::create_dir_all(&dir)
            .map_err(|e| err!(Unavailable, "creating {}", dir.display()).with_source(e))?;
        let out = dir.join(format!("{id}.mp4"));
        let (events, jobs) = (self.events.clone(), self.exports.jobs.clone());
        tokio::task::spawn_blocking(move || {
            let update = |f: &dyn Fn(&mut ExportJob)| {
                if let Some(j) = lock(&jobs).get_mut(&id) {
                    f(j);
                }
            };
            // Archived segments are fetched (through Vigil, by its credentials) into a scratch
            // directory first, removed when the export is done.
            let scratch = dir.join(format!(".fetch-{id}"));
            let result = rows
                .into_iter()
                .map(|(r, loc)| Ok((r, loc.local_file(&scratch)?)))
                .collect::<Result<Vec<_>>>()
                .and_then(|rows| {
                    crate::export::export_clip(&rows, start_ms, end_ms, &out, |p| {
                        update(&|j| j.progress = p);
                        events(RecordEvent::ExportProgress {
                            camera_id,
                            export_id: id,
                            progress: p,
                        });
                    })
                });
            let _ = std::fs::remove_dir_all(&scratch);
            match result {
                Ok(summary) => {
                    let bytes = std::fs::metadata(&out).map(|m| m.len()).ok();
                    update(&|j| {
                        j.status = "done".into();
                        j.progress = 1.0;
                        j.bytes = bytes;
                        j.clip_start_ms = Some(summary.start_ms);
                        j.clip_end_ms = Some(summary.end_ms);
                    });
                    events(RecordEvent::ExportDone {
                        camera_id,
                        export_id: id,
                        bytes,
                    });
                }
                Err(err) => {
                    let _ = std::fs::remove_file(&out);
                    let msg = err.to_string();
                    tracing::warn!(export_id = id, error = %msg, "export failed");
                    update(&|j| {
                        j.status = "failed".into();
                        j.error = Some(msg.clone());
                    });
                    events(RecordEvent::ExportFailed {
                        camera_id,
                        export_id: id,
                        error: msg,
                    });
                }
            }
        });
        Ok(job)
    }

    pub fn export_job(&self, id: u64) -> Result<ExportJob> {
        lock(&self.exports.jobs)
            .get(&id)
            .cloned()
            .ok_or_else(|| err!(NotFound, code = ExportNotFound, "export {id} not found"))
    }

    /// The finished export's file.
    pub fn export_file(&self, id: u64) -> Result<PathBuf> {
        let job = self.export_job(id)?;
        if job.status != "done" {
            bail!(
                FailedPrecondition,
                code = ExportNotReady,
                "export {id} is {}",
                job.status
            );
        }
        lock(&self.exports.downloaded).insert(id, self.clock.now_ms());
        Ok(self.exports.dir.join(format!("{id}.mp4")))
    }

    /// Export retention: a file goes `retention_ms` after its last download, or after
    /// [`UNFETCHED_FACTOR`] times that if nobody downloaded it; files no job knows (an earlier
    /// run's, which cannot be downloaded any more) and leftover scratch directories go once older
    /// than `retention_ms`. The job goes with its file. How many files went.
    pub fn prune_exports(&self, retention_ms: i64) -> usize {
        let now = self.clock.now_ms();
        let Ok(rd) = std::fs::read_dir(&self.exports.dir) else {
            return 0;
        };
        let mut gone = 0;
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let age_ms = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| {
                    t.duration_since(std::time::UNIX_EPOCH)
                        .ok()
                        .map(|d| now - d.as_millis() as i64)
                })
                .unwrap_or(0);
            if name.starts_with(".fetch-") {
                if age_ms > retention_ms {
                    let _ = std::fs::remove_dir_all(&path);
                }
                continue;
            }
            let Some(id) = name
                .strip_suffix(".mp4")
                .and_then(|n| n.parse::<u64>().ok())
            else {
                continue;
            };
            let status = lock(&self.exports.jobs).get(&id).map(|j| j.status.clone());
            let downloaded = lock(&self.exports.downloaded).get(&id).copied();
            let expired = match (status.as_deref(), downloaded) {
                (Some("running"), _) => false,
                (Some(_), Some(at)) => now - at > retention_ms,
                (Some(_), None) => age_ms > retention_ms.saturating_mul(UNFETCHED_FACTOR),
                (None, _) => age_ms > retention_ms,
            };
            if expired && std::fs::remove_file(&path).is_ok() {
                lock(&self.exports.jobs).remove(&id);
                lock(&self.exports.downloaded).remove(&id);
                tracing::info!(export_id = id, "export removed (export retention)");
                gone += 1;
            }
        }
        gone
    }
}
