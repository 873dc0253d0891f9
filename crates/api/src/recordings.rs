//! Recordings over HTTP: the segment index, files with HTTP Range, the timeline, and HLS VOD
//! playlists and their pieces.

use axum::Extension;
use axum::body::Body as HttpBody;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_base::{Window, err};
use vigil_engine::recordings::Span;
use vigil_engine::storage::Location;
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Data, Envelope, Path, Query};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show, remove))
        .routes(routes!(file))
        .routes(routes!(init))
        .routes(routes!(media))
        .routes(routes!(timeline))
        .routes(routes!(vod))
}

const HOUR: i64 = 3_600_000;

/// A recorded segment.
#[derive(Serialize, ToSchema)]
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

impl From<vigil_engine::recordings::Recording> for Recording {
    fn from(r: vigil_engine::recordings::Recording) -> Self {
        Recording {
            id: r.id,
            camera_id: r.camera_id,
            start: rfc3339(r.start_ms),
            end: rfc3339(r.end_ms),
            start_ms: r.start_ms,
            end_ms: r.end_ms,
            duration_ms: r.duration_ms,
            bytes: r.bytes,
            codec: r.codec,
            width: r.width,
            height: r.height,
            state: r.state,
            tier: r.tier,
            clock_jump_ms: r.clock_jump_ms,
        }
    }
}

/// A page of recordings.
#[derive(Serialize, ToSchema)]
pub struct RecordingPage {
    pub items: Vec<Recording>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A marker on the timeline: a detection event, another alert, a bookmark.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Marker {
    pub at_ms: i64,
    /// `detection` (a tracked object; `end_ms` is its last sighting), `alert` or `bookmark`.
    pub kind: String,
    pub label: String,
    /// The detection event's, the alert's or the bookmark's id.
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

/// A camera's recordings over a window, with what happened in it.
#[derive(Serialize, ToSchema)]
pub struct Timeline {
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Recorded spans (contiguous segments merged).
    pub segments: Vec<Span>,
    /// Stretches with no recording (from the window's start, clipped to now).
    pub gaps: Vec<Span>,
    pub markers: Vec<Marker>,
    /// Where the camera's footage begins: the start of its oldest recording still kept, at any
    /// time (not only in the window); null when it has none. Before it there is no footage yet
    /// (or none kept), which the UI does not paint as a gap.
    pub first_footage_ms: Option<i64>,
}

/// The API path of a detection's snapshot.
pub(crate) fn snapshot_url(detection_id: i64) -> String {
    format!("/api/v1/detections/{detection_id}/snapshot")
}

impl From<vigil_engine::recordings::Timeline> for Timeline {
    fn from(t: vigil_engine::recordings::Timeline) -> Self {
        Timeline {
            camera_id: t.camera_id,
            start_ms: t.start_ms,
            end_ms: t.end_ms,
            segments: t.segments,
            gaps: t.gaps,
            markers: t
                .markers
                .into_iter()
                .map(|m| Marker {
                    at_ms: m.at_ms,
                    kind: m.kind,
                    label: m.label,
                    id: m.id,
                    end_ms: m.end_ms,
                    severity: m.severity,
                    snapshot_url: m.best_detection_id.map(snapshot_url),
                })
                .collect(),
            first_footage_ms: t.first_footage_ms,
        }
    }
}

/// A time window: `start` and `end` as RFC 3339 (or epoch ms).
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// RFC 3339 (or epoch ms); default: a span before `end`.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms); default: now.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
}

impl WindowQuery {
    /// The window, at most `max_span_ms` long, `default_span_ms` before `end` by default.
    pub(crate) fn window(
        &self,
        st: &AppState,
        default_span_ms: i64,
        max_span_ms: i64,
    ) -> Result<Window, ApiError> {
        Ok(Window::parse(
            self.start.as_deref(),
            self.end.as_deref(),
            st.engine.now_ms(),
            default_span_ms,
            max_span_ms,
        )?)
    }
}

/// Query of `GET /recordings`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecordingsQuery {
    pub camera_id: Option<i64>,
    /// RFC 3339 (or epoch ms); default: `end` − 24 h.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms); default: now.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Default 0.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Recorded segments, oldest first, paged.
#[utoipa::path(get, path = "/recordings", tag = "recordings", params(RecordingsQuery),
    responses((status = 200, body = Envelope<RecordingPage>)), security(("bearer" = ["recording:read"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<RecordingsQuery>,
) -> Result<Data<RecordingPage>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut f = vigil_base::FieldErrors::new();
    let limit = q.limit.unwrap_or(100);
    let offset = q.offset.unwrap_or(0);
    if !(1..=1000).contains(&limit) {
        f.insert("limit".into(), "must be between 1 and 1000".into());
    }
    if offset < 0 {
        f.insert("offset".into(), "must not be negative".into());
    }
    let w = WindowQuery {
        start: q.start,
        end: q.end,
    }
    .window(&st, 24 * HOUR, 31 * 24 * HOUR);
    if let Err(ApiError(e)) = &w
        && let Some(d) = e.details().and_then(|d| d["fields"].as_object())
    {
        for (k, v) in d {
            f.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    }
    // A caller limited to some cameras lists one of them at a time (its only one by default),
    // so totals and offsets stay those of what it may see.
    let camera_id = match (q.camera_id, &p.cameras) {
        (Some(c), _) => Some(c),
        (None, None) => None,
        (None, Some(s)) if s.len() == 1 => s.iter().next().copied(),
        (None, Some(_)) => {
            f.insert(
                "camera_id".into(),
                "is required for an account limited to some cameras".into(),
            );
            None
        }
    };
    if !f.is_empty() {
        return Err(ApiError(vigil_base::Error::validation(f)));
    }
    let page = st
        .engine
        .recordings()
        .list(camera_id, w?, limit, offset)
        .await?;
    Ok(Data(RecordingPage {
        items: page.items.into_iter().map(Recording::from).collect(),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    }))
}

#[utoipa::path(get, path = "/recordings/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Recording>)), security(("bearer" = ["recording:read"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Recording>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let r = st.engine.recordings().get(id).await?;
    visible(&p, id, r.camera_id)?;
    Ok(Data(r.into()))
}

/// Delete a recorded segment and its file.
#[utoipa::path(delete, path = "/recordings/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, description = "RECORDING_IN_PROGRESS", body = ErrorBody)),
    security(("bearer" = ["recording:delete"])))]
pub async fn remove(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::RecordingDelete)?;
    let r = st.engine.recordings().get(id).await?;
    visible(&p, id, r.camera_id)?;
    st.engine.recordings().delete(id).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::RecordingDelete)
            .camera(r.camera_id)
            .target(format!("recording {id}"))
            .client(client)
            .details(serde_json::json!({"start": vigil_base::format_rfc3339_ms(r.start_ms)})),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// A recording of a camera outside the caller's cameras is answered as missing.
fn visible(p: &Principal, id: i64, camera_id: i64) -> Result<(), ApiError> {
    if p.can_see(camera_id) {
        Ok(())
    } else {
        Err(ApiError(vigil_base::err!(
            NotFound,
            code = RecordingNotFound,
            "recording {id} not found"
        )))
    }
}

/// The segment file (fragmented MP4), with HTTP Range (a download: `recording:export`).
#[utoipa::path(get, path = "/recordings/{id}/file", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "video/mp4"), (status = 206, content_type = "video/mp4"),
        (status = 416, description = "the range is outside the file")),
    security(("bearer" = ["recording:export"])))]
pub async fn file(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingExport)?;
    let r = st.engine.recordings().get(id).await?;
    visible(&p, id, r.camera_id)?;
    let (loc, len, _) = st.engine.recordings().file(id).await?;
    // One entry per download, not per Range request of it.
    if !headers.contains_key(header::RANGE) {
        st.engine.audit().record(
            AuditEntry::by(&p, AuditAction::Download)
                .camera(r.camera_id)
                .target(format!("recording {id}"))
                .client(client),
        );
    }
    serve_range(loc, len, &headers, "video/mp4", None).await
}

/// The init segment (`ftyp`+`moov`) of a recording, for HLS.
#[utoipa::path(get, path = "/recordings/{id}/init.mp4", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "video/mp4")), security(("bearer" = ["recording:read"])))]
pub async fn init(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    if !p.sees_all() {
        let r = st.engine.recordings().get(id).await?;
        visible(&p, id, r.camera_id)?;
    }
    let b = st.engine.recordings().init(id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "video/mp4"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        b,
    )
        .into_response())
}

/// Where a VOD piece is, as the playlist names it.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PieceQuery {
    /// Byte offset of the piece's first fragment.
    #[param(minimum = 0)]
    pub offset: u64,
    /// Its length in bytes (at most 64 MiB).
    #[param(minimum = 1, maximum = 67108864)]
    pub len: u64,
    /// How far to move its decode times.
    #[serde(default)]
    pub shift_ms: i64,
}

/// One VOD piece: fragments of a recording with decode times moved onto the playlist's timeline.
#[utoipa::path(get, path = "/recordings/{id}/media.m4s", tag = "recordings",
    params(("id" = i64, Path), PieceQuery),
    responses((status = 200, content_type = "video/iso.segment"),
        (status = 404, description = "RECORDING_NOT_FOUND, or SEGMENT_NOT_FOUND: no piece at those bytes", body = ErrorBody)),
    security(("bearer" = ["recording:read"])))]
pub async fn media(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<PieceQuery>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    if !p.sees_all() {
        let r = st.engine.recordings().get(id).await?;
        visible(&p, id, r.camera_id)?;
    }
    let b = st
        .engine
        .recordings()
        .media(id, q.offset, q.len, q.shift_ms)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "video/iso.segment"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        b,
    )
        .into_response())
}

/// Recorded spans, gaps and markers of a camera over a window (default: the last 24 h).
#[utoipa::path(get, path = "/cameras/{id}/timeline", tag = "recordings",
    params(("id" = i64, Path), WindowQuery),
    responses((status = 200, body = Envelope<Timeline>)), security(("bearer" = ["recording:read"])))]
pub async fn timeline(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<WindowQuery>,
) -> Result<Data<Timeline>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let w = q.window(&st, 24 * HOUR, 31 * 24 * HOUR)?;
    Ok(Data(st.engine.recordings().timeline(id, w).await?.into()))
}

/// HLS (fMP4) VOD playlist of what was recorded between `start` (default: end − 1 h) and `end`
/// (default: now), beginning at `start`.
#[utoipa::path(get, path = "/cameras/{id}/vod.m3u8", tag = "recordings",
    params(("id" = i64, Path), WindowQuery),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl")), security(("bearer" = ["recording:read"])))]
pub async fn vod(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<WindowQuery>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let w = q.window(&st, HOUR, 24 * HOUR)?;
    // The playlist names the range played; its pieces are fetched without more entries.
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::Playback)
            .camera(id)
            .client(client)
            .details(
                serde_json::json!({"start": vigil_base::format_rfc3339_ms(w.start_ms),
                "end": vigil_base::format_rfc3339_ms(w.end_ms)}),
            ),
    );
    let m = st
        .engine
        .recordings()
        .vod_playlist(
            id,
            w,
            |r| format!("/api/v1/recordings/{r}/init.mp4"),
            |p| {
                format!(
                    "/api/v1/recordings/{}/media.m4s?offset={}&len={}&shift_ms={}",
                    p.recording_id, p.offset, p.len, p.shift_ms
                )
            },
        )
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl")], m).into_response())
}

/// Serve the first `len` bytes of `path`, honouring a single `Range: bytes=` request.
pub(crate) async fn serve_range(
    loc: Location,
    len: u64,
    headers: &HeaderMap,
    content_type: &'static str,
    download: Option<String>,
) -> Result<Response, ApiError> {
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|r| parse_range(r, len));
    let (start, end, partial) = match range {
        None | Some(RangeSpec::Ignore) => (0, len, false),
        Some(RangeSpec::Bytes(s, e)) => (s, e, true),
        Some(RangeSpec::Unsatisfiable) => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(r);
        }
    };
    let body = match loc {
        Location::File(path) => {
            let mut f = tokio::fs::File::open(&path)
                .await
                .map_err(|e| err!(NotFound, code = RecordingMissing, "{e}"))?;
            f.seek(std::io::SeekFrom::Start(start))
                .await
                .map_err(|e| err!(Unavailable, "seek: {e}"))?;
            HttpBody::from_stream(tokio_util::io::ReaderStream::new(f.take(end - start)))
        }
        // An archived segment: the range is read from the object store by Vigil, with its
        // credentials; the client never sees the bucket.
        loc @ Location::Object { .. } if end > start => {
            HttpBody::from(loc.read_range(start, end - start).await?)
        }
        Location::Object { .. } => HttpBody::empty(),
    };
    let mut r = Response::new(body);
    *r.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&(end - start).to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    if partial && let Ok(v) = HeaderValue::from_str(&format!("bytes {}-{}/{len}", start, end - 1)) {
        h.insert(header::CONTENT_RANGE, v);
    }
    if let Some(name) = download
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[derive(Debug, PartialEq)]
enum RangeSpec {
    /// [start, end)
    Bytes(u64, u64),
    Unsatisfiable,
    /// Not a single byte range we serve: answer with the whole body.
    Ignore,
}

fn parse_range(v: &str, len: u64) -> RangeSpec {
    let Some(spec) = v.trim().strip_prefix("bytes=") else {
        return RangeSpec::Ignore;
    };
    if spec.contains(',') {
        return RangeSpec::Ignore;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return RangeSpec::Ignore;
    };
    let (a, b) = (a.trim(), b.trim());
    let r = match (a.is_empty(), b.is_empty()) {
        (true, false) => b.parse::<u64>().ok().map(|n| (len.saturating_sub(n), len)),
        (false, true) => a.parse::<u64>().ok().map(|s| (s, len)),
        (false, false) => match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(s), Ok(e)) if e >= s => Some((s, (e + 1).min(len))),
            _ => None,
        },
        (true, true) => None,
    };
    match r {
        Some((s, e)) if s < e && s < len => RangeSpec::Bytes(s, e),
        Some(_) => RangeSpec::Unsatisfiable,
        None => RangeSpec::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), RangeSpec::Bytes(0, 100));
        assert_eq!(parse_range("bytes=900-", 1000), RangeSpec::Bytes(900, 1000));
        assert_eq!(parse_range("bytes=-100", 1000), RangeSpec::Bytes(900, 1000));
        assert_eq!(
            parse_range("bytes=990-2000", 1000),
            RangeSpec::Bytes(990, 1000)
        );
        assert_eq!(parse_range("bytes=1000-", 1000), RangeSpec::Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 1000), RangeSpec::Ignore);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), RangeSpec::Ignore);
        assert_eq!(parse_range("items=0-1", 1000), RangeSpec::Ignore);
    }
}
