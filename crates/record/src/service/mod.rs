//! Recordings as the API sees them: the segment index by camera and time, the timeline with gaps
//! and markers, HLS VOD playlists and the byte pieces they point at, deletion, and exports
//! (`export.rs`) run in the background, their progress told through a [`RecordEmitter`].

mod export;
mod markers;

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Clock, Result, Window, bail, err};
use vigil_db::Database;
use vigil_db::recordings::{self as q, RecordingRow};

use crate::playlist::VodSegment;
use vigil_storage::{Location, Storage};

/// Largest VOD piece served at once (a playlist's pieces are a few seconds).
pub const MAX_PIECE_BYTES: u64 = 64 << 20;
pub use export::{ExportJob, ExportRequest};

/// What happened to recordings and exports (the owner announces it on its event bus).
#[derive(Clone, Debug, PartialEq)]
pub enum RecordEvent {
    Deleted {
        camera_id: i64,
        recording_id: i64,
    },
    ExportProgress {
        camera_id: i64,
        export_id: u64,
        progress: f64,
    },
    ExportDone {
        camera_id: i64,
        export_id: u64,
        bytes: Option<u64>,
    },
    ExportFailed {
        camera_id: i64,
        export_id: u64,
        error: String,
    },
}

/// Where [`RecordEvent`]s go.
pub type RecordEmitter = Arc<dyn Fn(RecordEvent) + Send + Sync>;

/// A recorded segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    pub id: i64,
    pub camera_id: i64,
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
        start_ms: r.start_ms,
        end_ms: r.end_ms,
        duration_ms: crate::ms_from_90k(r.media_duration_90k),
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
#[derive(Clone, Debug, PartialEq)]
pub struct RecordingPage {
    pub items: Vec<Recording>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A stretch of time (recorded, or a gap).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

/// A marker on the timeline: a detection event, another alert, a bookmark.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub at_ms: i64,
    /// `detection` (a tracked object; `end_ms` is its last sighting), `alert` or `bookmark`.
    pub kind: String,
    pub label: String,
    /// The detection event's, the alert's or the bookmark's id.
    pub id: Option<i64>,
    pub end_ms: Option<i64>,
    /// `info`, `warning` or `critical` for alerts.
    pub severity: Option<String>,
    /// The stored sighting with the event's best picture.
    pub best_detection_id: Option<i64>,
}

/// A camera's recordings over a window, with what happened in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Recorded spans (contiguous segments merged).
    pub segments: Vec<Span>,
    /// Stretches with no recording.
    pub gaps: Vec<Span>,
    pub markers: Vec<Marker>,
    /// Where the camera's footage begins: the start of its oldest recording still kept (any
    /// time, not only in the window); `None` when it has none.
    pub first_footage_ms: Option<i64>,
}

fn not_found(id: i64) -> vigil_base::Error {
    err!(
        NotFound,
        code = RecordingNotFound,
        "recording {id} not found"
    )
}

/// The recording index, its files, and exports.
pub struct RecordingService {
    db: Database,
    events: RecordEmitter,
    clock: Arc<dyn Clock>,
    storage: Storage,
    exports: export::Exports,
}

/// `CAMERA_NOT_FOUND` unless camera `id` exists.
pub(crate) async fn camera_exists(db: &Database, id: i64) -> Result<()> {
    match db.read(move |c| vigil_db::cameras::get(c, id)).await? {
        Some(_) => Ok(()),
        None => Err(err!(
            NotFound,
            code = CameraNotFound,
            "camera {id} not found"
        )),
    }
}

impl RecordingService {
    pub fn new(
        db: Database,
        events: RecordEmitter,
        clock: Arc<dyn Clock>,
        storage: Storage,
        exports_dir: PathBuf,
    ) -> RecordingService {
        RecordingService {
            db,
            events,
            clock,
            storage,
            exports: export::Exports::new(exports_dir),
        }
    }

    pub async fn list(
        &self,
        camera_id: Option<i64>,
        w: Window,
        limit: i64,
        offset: i64,
    ) -> Result<RecordingPage> {
        if let Some(c) = camera_id {
            camera_exists(&self.db, c).await?;
        }
        let (rows, total) = self
            .db
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
        self.db
            .read(move |c| q::get(c, id))
            .await?
            .ok_or_else(|| not_found(id))
    }

    pub async fn get(&self, id: i64) -> Result<Recording> {
        Ok(to_api(&self.recording_row(id).await?))
    }

    /// Where a recording's bytes are (a file, or an object in the archive) and how many of its
    /// bytes are complete.
    pub async fn file(&self, id: i64) -> Result<(Location, u64, u64)> {
        let r = self.recording_row(id).await?;
        if r.state == "missing" {
            bail!(
                NotFound,
                code = RecordingMissing,
                "the file of recording {id} is gone"
            );
        }
        Ok((
            self.storage.locate(&r.root, &r.path)?,
            r.bytes as u64,
            r.init_bytes as u64,
        ))
    }

    /// The storage tiers the recordings are on.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    pub async fn delete(&self, id: i64) -> Result<()> {
        let r = self.recording_row(id).await?;
        if r.state == "recording" {
            bail!(
                FailedPrecondition,
                code = RecordingInProgress,
                "recording {id} is still being written"
            );
        }
        // Through the storage journal: the row goes (durably) before the file, so the index
        // never points at a file that is gone, and the deletion shows in the storage history.
        let storage = self.storage.clone();
        let gone = tokio::task::spawn_blocking(move || {
            storage.delete_recording(id, vigil_db::storage::Reason::Manual)
        })
        .await
        .map_err(|e| err!(Internal, "deletion task failed: {e}"))??;
        if gone.is_none() {
            return Err(not_found(id));
        }
        tracing::info!(
            camera_id = r.camera_id,
            recording_id = id,
            "recording deleted"
        );
        (self.events)(RecordEvent::Deleted {
            camera_id: r.camera_id,
            recording_id: id,
        });
        Ok(())
    }

    pub async fn timeline(&self, camera_id: i64, w: Window) -> Result<Timeline> {
        camera_exists(&self.db, camera_id).await?;
        let (rows, first_footage_ms) = self
            .db
            .read(move |c| {
                Ok((
                    q::list_range(c, Some(camera_id), w.start_ms, w.end_ms, 100_000, 0)?,
                    q::first_start_ms(c, camera_id)?,
                ))
            })
            .await?;
        let now = self.clock.now_ms();
        let t = crate::timeline::build(&rows, w.start_ms, w.end_ms, now, 1_500);
        let markers = self.markers(camera_id, w).await?;
        let span = |s: &crate::timeline::Span| Span {
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
            first_footage_ms,
        })
    }

    /// An HLS VOD playlist of the camera over the window, starting at its start; its URLs are
    /// the caller's (`init_url` of a recording, `media_url` of a piece of one).
    pub async fn vod_playlist(
        &self,
        camera_id: i64,
        w: Window,
        init_url: impl Fn(i64) -> String,
        media_url: impl Fn(&VodSegment) -> String,
    ) -> Result<String> {
        camera_exists(&self.db, camera_id).await?;
        let rows = self
            .db
            .read(move |c| q::list_range(c, Some(camera_id), w.start_ms, w.end_ms, 100_000, 0))
            .await?;
        crate::playlist::vod_playlist(&rows, w.start_ms, w.end_ms, init_url, media_url)
    }

    /// The init segment of a recording.
    pub async fn init(&self, id: i64) -> Result<Vec<u8>> {
        let (loc, _, init) = self.file(id).await?;
        if init == 0 {
            bail!(
                NotFound,
                code = RecordingEmpty,
                "recording {id} has no data yet"
            );
        }
        loc.read_range(0, init).await
    }

    /// Bytes `[offset, offset+len)` of a recording with decode times shifted by `shift_ms`.
    /// (At most [`MAX_PIECE_BYTES`].)
    pub async fn media(&self, id: i64, offset: u64, len: u64, shift_ms: i64) -> Result<Vec<u8>> {
        let (loc, bytes, init) = self.file(id).await?;
        // A piece is named by where it lies: bytes that are not one are a piece that does not
        // exist (the playlist only names real ones).
        if offset < init
            || len == 0
            || offset.checked_add(len).is_none_or(|e| e > bytes)
            || len > MAX_PIECE_BYTES
        {
            bail!(
                NotFound,
                code = SegmentNotFound,
                "recording {id} has no piece at bytes {offset}+{len}"
            );
        }
        let head = loc.read_range(0, init).await?;
        let init_info = vigil_media::mp4::scan(&head)?.init;
        let mut part = loc.read_range(offset, len).await?;
        vigil_media::mp4::shift_decode_times(&mut part, &init_info, shift_ms).map_err(|e| {
            err!(
                NotFound,
                code = SegmentNotFound,
                "recording {id} has no piece at bytes {offset}+{len} (not fragment boundaries: {e})"
            )
        })?;
        Ok(part)
    }
}
