//! Recordings as the API sees them: the segment index by camera and time, the timeline with gaps,
//! HLS VOD playlists and the byte pieces they point at, deletion, and exports run in the background
//! with progress on the event bus.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{FieldErrors, Result, bail, err, format_rfc3339_ms};
use vigil_db::recordings::{self as q, RecordingRow};
use vigil_record::playlist::VodSegment;

use crate::{Engine, Event};

/// A recorded segment.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Recording {
    pub id: i64,
    pub camera_id: i64,
    /// RFC 3339 UTC.
    pub start: String,
    pub end: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub duration_ms: i64,
    pub bytes: i64,
    pub codec: String,
    pub width: i64,
    pub height: i64,
    /// `recording` (being written), `complete`, `repaired` (cut back after a crash), `missing`.
    pub state: String,
    pub tier: String,
    /// Wall-clock correction applied at this segment's start (0 normally).
    pub clock_jump_ms: i64,
}

fn to_api(r: &RecordingRow) -> Recording {
    Recording {
        id: r.id,
        camera_id: r.camera_id,
        start: format_rfc3339_ms(r.start_ms),
        end: format_rfc3339_ms(r.end_ms),
        start_ms: r.start_ms,
        end_ms: r.end_ms,
        duration_ms: vigil_record::ms_from_90k(r.media_duration_90k),
        bytes: r.bytes,
        codec: r.codec.clone(),
        width: r.width,
        height: r.height,
        state: r.state.clone(),
        tier: r.tier.clone(),
        clock_jump_ms: r.clock_jump_ms,
    }
}

/// A page of recordings.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordingPage {
    pub items: Vec<Recording>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

/// A marker on the timeline (detection events, alerts, bookmarks in later releases).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Marker {
    pub at_ms: i64,
    /// `detection` (a tracked object; `end_ms` is its last sighting) or `alert`.
    pub kind: String,
    pub label: String,
    /// The detection event's or the alert's id.
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub end_ms: Option<i64>,
    /// `info`, `warning` or `critical` for alerts.
    #[serde(default)]
    pub severity: Option<String>,
    /// The event's best snapshot.
    #[serde(default)]
    pub snapshot_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Timeline {
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Recorded spans (contiguous segments merged).
    pub segments: Vec<Span>,
    /// Stretches with no recording.
    pub gaps: Vec<Span>,
    pub markers: Vec<Marker>,
}

/// A time window from query parameters, already checked.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Window {
    /// Parse `start`/`end` (epoch ms or RFC 3339). Missing start: `default_span_ms` before end;
    /// missing end: now. At most `max_span_ms` long.
    pub fn parse(
        start: Option<&str>,
        end: Option<&str>,
        now_ms: i64,
        default_span_ms: i64,
        max_span_ms: i64,
    ) -> Result<Window> {
        let mut f = FieldErrors::new();
        let mut parse = |name: &str, v: Option<&str>| {
            v.and_then(|s| {
                let r = vigil_base::parse_instant_ms(s);
                if r.is_none() {
                    f.insert(name.into(), "must be epoch milliseconds or RFC 3339".into());
                }
                r
            })
        };
        let end_ms = parse("end", end);
        let start_ms = parse("start", start);
        let end_ms = end_ms.unwrap_or(now_ms);
        let start_ms = start_ms.unwrap_or(end_ms - default_span_ms);
        if f.is_empty() && end_ms <= start_ms {
            f.insert("end".into(), "must be after start".into());
        }
        if f.is_empty() && end_ms - start_ms > max_span_ms {
            f.insert(
                "end".into(),
                format!(
                    "the window may be at most {} hours",
                    max_span_ms / 3_600_000
                ),
            );
        }
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f));
        }
        Ok(Window { start_ms, end_ms })
    }
}

/// `POST /exports` body.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    pub camera_id: i64,
    /// Epoch ms or RFC 3339.
    #[schema(value_type = String)]
    pub start: serde_json::Value,
    #[schema(value_type = String)]
    pub end: serde_json::Value,
}

/// An export job.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
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
    /// Where to download it once done.
    pub download_url: Option<String>,
}

#[derive(Default)]
pub(crate) struct Exports {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, ExportJob>>,
}

fn not_found(id: i64) -> vigil_base::Error {
    err!(
        NotFound,
        code = RecordingNotFound,
        "recording {id} not found"
    )
}

impl Engine {
    pub async fn list_recordings(
        &self,
        camera_id: Option<i64>,
        w: Window,
        limit: i64,
        offset: i64,
    ) -> Result<RecordingPage> {
        if let Some(c) = camera_id {
            self.get_camera(c).await?;
        }
        let (rows, total) = self
            .db()
            .read(move |c| {
                Ok((
                    q::list_range(c, camera_id, w.start_ms, w.end_ms, limit, offset)?,
                    q::count_range(c, camera_id, w.start_ms, w.end_ms)?,
                ))
            })
            .await?;
        Ok(RecordingPage {
            items: rows.iter().map(to_api).collect(),
            total,
            limit,
            offset,
        })
    }

    async fn recording_row(&self, id: i64) -> Result<RecordingRow> {
        self.db()
            .read(move |c| q::get(c, id))
            .await?
            .ok_or_else(|| not_found(id))
    }

    pub async fn get_recording(&self, id: i64) -> Result<Recording> {
        Ok(to_api(&self.recording_row(id).await?))
    }

    /// The file of a recording and how many of its bytes are complete.
    pub async fn recording_file(&self, id: i64) -> Result<(PathBuf, u64, u64)> {
        let r = self.recording_row(id).await?;
        if r.state == "missing" {
            bail!(
                NotFound,
                code = RecordingMissing,
                "the file of recording {id} is gone"
            );
        }
        Ok((
            self.recordings_root().resolve(&r.path),
            r.bytes as u64,
            r.init_bytes as u64,
        ))
    }

    pub async fn delete_recording(&self, id: i64) -> Result<()> {
        let r = self.recording_row(id).await?;
        if r.state == "recording" {
            bail!(
                FailedPrecondition,
                code = RecordingInProgress,
                "recording {id} is still being written"
            );
        }
        let path = self.recordings_root().resolve(&r.path);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(err!(Unavailable, "deleting {}", path.display()).with_source(e)),
        }
        self.db().write(move |c| q::delete(c, id)).await?;
        tracing::info!(
            camera_id = r.camera_id,
            recording_id = id,
            "recording deleted"
        );
        self.events().publish(
            Event::new("recording:deleted", Some(r.camera_id), self.now_ms())
                .with("recording_id", id),
        );
        Ok(())
    }

    pub async fn timeline(&self, camera_id: i64, w: Window) -> Result<Timeline> {
        self.get_camera(camera_id).await?;
        let rows = self
            .db()
            .read(move |c| q::list_range(c, Some(camera_id), w.start_ms, w.end_ms, 100_000, 0))
            .await?;
        let t = vigil_record::timeline::build(&rows, w.start_ms, w.end_ms, self.now_ms(), 1_500);
        let markers = self.timeline_markers(camera_id, w).await?;
        let span = |s: &vigil_record::timeline::Span| Span {
            start_ms: s.start_ms,
            end_ms: s.end_ms,
        };
        Ok(Timeline {
            camera_id,
            start_ms: w.start_ms,
            end_ms: w.end_ms,
            segments: t.segments.iter().map(span).collect(),
            gaps: t.gaps.iter().map(span).collect(),
            markers,
        })
    }

    /// An HLS VOD playlist of the camera over the window, starting at its start.
    pub async fn vod_playlist(&self, camera_id: i64, w: Window) -> Result<String> {
        self.get_camera(camera_id).await?;
        let rows = self
            .db()
            .read(move |c| q::list_range(c, Some(camera_id), w.start_ms, w.end_ms, 100_000, 0))
            .await?;
        vigil_record::playlist::vod_playlist(
            &rows,
            w.start_ms,
            w.end_ms,
            |id| format!("/api/v1/recordings/{id}/init.mp4"),
            |p: &VodSegment| {
                format!(
                    "/api/v1/recordings/{}/media.m4s?offset={}&len={}&shift_ms={}",
                    p.recording_id, p.offset, p.len, p.shift_ms
                )
            },
        )
    }

    /// The init segment of a recording.
    pub async fn recording_init(&self, id: i64) -> Result<Vec<u8>> {
        let (path, _, init) = self.recording_file(id).await?;
        if init == 0 {
            bail!(
                NotFound,
                code = RecordingEmpty,
                "recording {id} has no data yet"
            );
        }
        read_range(path, 0, init).await
    }

    /// Bytes `[offset, offset+len)` of a recording with decode times shifted by `shift_ms`.
    pub async fn recording_media(
        &self,
        id: i64,
        offset: u64,
        len: u64,
        shift_ms: i64,
    ) -> Result<Vec<u8>> {
        let (path, bytes, init) = self.recording_file(id).await?;
        if offset < init
            || len == 0
            || offset.checked_add(len).is_none_or(|e| e > bytes)
            || len > 64 << 20
        {
            bail!(
                InvalidArgument,
                code = RangeNotSatisfiable,
                "that byte range is not inside recording {id}"
            );
        }
        let head = read_range(path.clone(), 0, init).await?;
        let init_info = vigil_media::mp4::scan(&head)?.init;
        let mut part = read_range(path, offset, len).await?;
        vigil_media::mp4::shift_decode_times(&mut part, &init_info, shift_ms).map_err(|e| {
            err!(
                InvalidArgument,
                code = RangeNotSatisfiable,
                "not a fragment boundary: {e}"
            )
        })?;
        Ok(part)
    }

    pub async fn start_export(&self, req: ExportRequest) -> Result<ExportJob> {
        let instant = |name: &str, v: &serde_json::Value, f: &mut FieldErrors| {
            let ms = match v {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => vigil_base::parse_instant_ms(s),
                _ => None,
            };
            if ms.is_none() {
                f.insert(name.into(), "must be epoch milliseconds or RFC 3339".into());
            }
            ms.unwrap_or(0)
        };
        let mut f = FieldErrors::new();
        let start_ms = instant("start", &req.start, &mut f);
        let end_ms = instant("end", &req.end, &mut f);
        if f.is_empty() && end_ms <= start_ms {
            f.insert("end".into(), "must be after start".into());
        }
        if f.is_empty() && end_ms - start_ms > 24 * 3_600_000 {
            f.insert("end".into(), "an export may be at most 24 hours".into());
        }
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f));
        }
        let camera_id = req.camera_id;
        self.get_camera(camera_id).await?;
        let rows = self
            .db()
            .read(move |c| q::list_range(c, Some(camera_id), start_ms, end_ms, 100_000, 0))
            .await?;
        if rows.is_empty() {
            bail!(
                NotFound,
                code = NoRecordings,
                "nothing was recorded in that range"
            );
        }
        let root = self.recordings_root();
        let rows: Vec<_> = rows
            .into_iter()
            .map(|r| {
                let p = root.resolve(&r.path);
                (r, p)
            })
            .collect();
        let exports = &self.inner.exports;
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
            download_url: None,
        };
        exports
            .jobs
            .lock()
            .map_err(|_| err!(Internal, "poisoned"))?
            .insert(id, job.clone());
        let dir = self.data_dir().join("exports");
        std::fs::create_dir_all(&dir)
            .map_err(|e| err!(Unavailable, "creating {}", dir.display()).with_source(e))?;
        let out = dir.join(format!("{id}.mp4"));
        let e = self.clone();
        tokio::task::spawn_blocking(move || {
            let update = |f: &dyn Fn(&mut ExportJob)| {
                if let Ok(mut jobs) = e.inner.exports.jobs.lock()
                    && let Some(j) = jobs.get_mut(&id)
                {
                    f(j);
                }
            };
            let result = vigil_record::export::export_clip(&rows, start_ms, end_ms, &out, |p| {
                update(&|j| j.progress = p);
                e.events().publish(
                    Event::new("export:progress", Some(camera_id), e.now_ms())
                        .with("export_id", id)
                        .with("progress", p),
                );
            });
            match result {
                Ok(_) => {
                    let bytes = std::fs::metadata(&out).map(|m| m.len()).ok();
                    update(&|j| {
                        j.status = "done".into();
                        j.progress = 1.0;
                        j.bytes = bytes;
                        j.download_url = Some(format!("/api/v1/exports/{id}/file"));
                    });
                    e.events().publish(
                        Event::new("export:done", Some(camera_id), e.now_ms())
                            .with("export_id", id)
                            .with("bytes", bytes),
                    );
                }
                Err(err) => {
                    let _ = std::fs::remove_file(&out);
                    let msg = err.to_string();
                    tracing::warn!(export_id = id, error = %msg, "export failed");
                    update(&|j| {
                        j.status = "failed".into();
                        j.error = Some(msg.clone());
                    });
                    e.events().publish(
                        Event::new("export:failed", Some(camera_id), e.now_ms())
                            .with("export_id", id)
                            .with("error", &msg),
                    );
                }
            }
        });
        Ok(job)
    }

    pub fn export_job(&self, id: u64) -> Result<ExportJob> {
        self.inner
            .exports
            .jobs
            .lock()
            .map_err(|_| err!(Internal, "poisoned"))?
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
        Ok(self.data_dir().join("exports").join(format!("{id}.mp4")))
    }
}

async fn read_range(path: PathBuf, offset: u64, len: u64) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(&path)
            .map_err(|e| err!(NotFound, code = RecordingMissing, "{}: {e}", path.display()))?;
        f.seek(SeekFrom::Start(offset))
            .map_err(|e| err!(Unavailable, "seek: {e}"))?;
        let mut buf =
            vec![0u8; usize::try_from(len).map_err(|_| err!(InvalidArgument, "range too large"))?];
        f.read_exact(&mut buf)
            .map_err(|e| err!(Unavailable, "reading {}: {e}", path.display()))?;
        Ok(buf)
    })
    .await
    .map_err(|e| err!(Internal, "read task: {e}"))?
}
