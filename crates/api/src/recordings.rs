//! Recordings over HTTP: the segment index, files with HTTP Range, the timeline, HLS VOD
//! playlists and their pieces, stream status, and exports.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::body::Body as HttpBody;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use vigil_base::{FieldErrors, err};
use vigil_engine::recordings::{
    ExportJob, ExportRequest, Recording, RecordingPage, Timeline, Window,
};
use vigil_engine::{Permission, Principal, StreamStatus};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Body, Data, Envelope};
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recordings", get(list))
        .route("/recordings/{id}", get(show).delete(remove))
        .route("/recordings/{id}/file", get(file))
        .route("/recordings/{id}/init.mp4", get(init))
        .route("/recordings/{id}/media.m4s", get(media))
        .route("/cameras/{id}/timeline", get(timeline))
        .route("/cameras/{id}/vod.m3u8", get(vod))
        .route("/cameras/{id}/status", get(status))
        .route("/exports", post(create_export))
        .route("/exports/{id}", get(show_export))
        .route("/exports/{id}/file", get(export_file))
}

/// Query parameters as strings, with malformed query strings answered as validation errors.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Params(q))
            .map_err(|e| {
                ApiError(err!(
                    InvalidArgument,
                    code = ValidationFailed,
                    "bad query string: {e}"
                ))
            })
    }
}

impl Params {
    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str).filter(|s| !s.is_empty())
    }
    /// The parameter as an owned string (empty counts as absent).
    pub(crate) fn text(&self, k: &str) -> Option<String> {
        self.get(k).map(str::to_string)
    }
    pub(crate) fn int(&self, k: &str, f: &mut FieldErrors) -> Option<i64> {
        let v = self.get(k)?;
        match v.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                f.insert(k.into(), "must be an integer".into());
                None
            }
        }
    }
    /// `true` or `false`.
    pub(crate) fn bool(&self, k: &str, f: &mut FieldErrors) -> Option<bool> {
        let v = self.get(k)?;
        match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                f.insert(k.into(), "must be true or false".into());
                None
            }
        }
    }
    /// Report parameters the route does not know (a typo must not silently widen a filter).
    pub(crate) fn only(&self, known: &[&str], f: &mut FieldErrors) {
        for k in self.0.keys() {
            if !known.contains(&k.as_str()) {
                f.insert(k.clone(), "unknown parameter".into());
            }
        }
    }
    pub(crate) fn window(
        &self,
        st: &AppState,
        default_span_ms: i64,
        max_span_ms: i64,
    ) -> Result<Window, ApiError> {
        Ok(Window::parse(
            self.get("start"),
            self.get("end"),
            st.engine.now_ms(),
            default_span_ms,
            max_span_ms,
        )?)
    }
}

const HOUR: i64 = 3_600_000;

/// Recorded segments, oldest first, paged.
#[utoipa::path(get, path = "/api/v1/recordings", tag = "recordings",
    params(("camera_id" = Option<i64>, Query), ("start" = Option<String>, Query, description = "epoch ms or RFC 3339 (default: end − 24 h)"),
        ("end" = Option<String>, Query, description = "epoch ms or RFC 3339 (default: now)"), ("limit" = Option<i64>, Query, description = "1–1000, default 100"), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = Envelope<RecordingPage>), (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    q: Params,
) -> Result<Data<RecordingPage>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut f = FieldErrors::new();
    let camera = q.int("camera_id", &mut f);
    let limit = q.int("limit", &mut f).unwrap_or(100);
    let offset = q.int("offset", &mut f).unwrap_or(0);
    if !(1..=1000).contains(&limit) {
        f.insert("limit".into(), "must be between 1 and 1000".into());
    }
    if offset < 0 {
        f.insert("offset".into(), "must not be negative".into());
    }
    let w = q.window(&st, 24 * HOUR, 31 * 24 * HOUR);
    if let Err(ApiError(e)) = &w
        && let Some(d) = e.details().and_then(|d| d["fields"].as_object())
    {
        for (k, v) in d {
            f.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    }
    if !f.is_empty() {
        return Err(ApiError(vigil_base::Error::validation(f)));
    }
    Ok(Data(
        st.engine
            .recordings()
            .list(camera, w?, limit, offset)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/recordings/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Recording>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Recording>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    Ok(Data(st.engine.recordings().get(id).await?))
}

/// Delete a recorded segment and its file.
#[utoipa::path(delete, path = "/api/v1/recordings/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::RecordingDelete)?;
    st.engine.recordings().delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The segment file (fragmented MP4), with HTTP Range.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/file", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "video/mp4"), (status = 206, content_type = "video/mp4"), (status = 404, body = ErrorBody), (status = 416)),
    security(("bearer" = [])))]
pub async fn file(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let (path, len, _) = st.engine.recordings().file(id).await?;
    serve_range(path, len, &headers, "video/mp4", None).await
}

/// The init segment (`ftyp`+`moov`) of a recording, for HLS.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/init.mp4", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 200, content_type = "video/mp4")), security(("bearer" = [])))]
pub async fn init(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
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

/// One VOD piece: fragments of a recording with decode times moved onto the playlist's timeline.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/media.m4s", tag = "recordings",
    params(("id" = i64, Path), ("offset" = u64, Query), ("len" = u64, Query), ("shift_ms" = i64, Query)),
    responses((status = 200, content_type = "video/iso.segment"), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn media(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    q: Params,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut f = FieldErrors::new();
    let offset = q.int("offset", &mut f);
    let len = q.int("len", &mut f);
    let shift = q.int("shift_ms", &mut f).unwrap_or(0);
    let (Some(offset), Some(len)) = (offset, len) else {
        f.entry("offset".into())
            .or_insert_with(|| "is required".into());
        f.entry("len".into())
            .or_insert_with(|| "is required".into());
        return Err(ApiError(vigil_base::Error::validation(f)));
    };
    if !f.is_empty() || offset < 0 || len <= 0 {
        f.insert(
            "offset".into(),
            "offset and len must be positive integers".into(),
        );
        return Err(ApiError(vigil_base::Error::validation(f)));
    }
    let b = st
        .engine
        .recordings()
        .media(id, offset as u64, len as u64, shift)
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
#[utoipa::path(get, path = "/api/v1/cameras/{id}/timeline", tag = "recordings",
    params(("id" = i64, Path), ("start" = Option<String>, Query), ("end" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Timeline>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn timeline(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    q: Params,
) -> Result<Data<Timeline>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let w = q.window(&st, 24 * HOUR, 31 * 24 * HOUR)?;
    Ok(Data(st.engine.recordings().timeline(id, w).await?))
}

/// HLS (fMP4) VOD playlist of what was recorded between `start` (default: end − 1 h) and `end`
/// (default: now), beginning at `start`.
#[utoipa::path(get, path = "/api/v1/cameras/{id}/vod.m3u8", tag = "recordings",
    params(("id" = i64, Path), ("start" = Option<String>, Query), ("end" = Option<String>, Query)),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn vod(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    q: Params,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let w = q.window(&st, HOUR, 24 * HOUR)?;
    let m = st.engine.recordings().vod_playlist(id, w).await?;
    Ok(([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl")], m).into_response())
}

/// Stream health: state, last error, rates, drops per consumer, recording counters.
#[utoipa::path(get, path = "/api/v1/cameras/{id}/status", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<StreamStatus>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn status(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<StreamStatus>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().status(id).await?))
}

/// Export a range of a camera as one MP4 (stream copy). Progress arrives as `export:progress`
/// events; when `export:done` arrives, download from `download_url`.
#[utoipa::path(post, path = "/api/v1/exports", tag = "recordings", request_body = ExportRequest,
    responses((status = 202, body = Envelope<ExportJob>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_export(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<ExportRequest>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::RecordingRead)?;
    Ok((
        StatusCode::ACCEPTED,
        Data(st.engine.recordings().start_export(req).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/exports/{id}", tag = "recordings", params(("id" = u64, Path)),
    responses((status = 200, body = Envelope<ExportJob>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show_export(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<u64>,
) -> Result<Data<ExportJob>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    Ok(Data(st.engine.recordings().export_job(id)?))
}

#[utoipa::path(get, path = "/api/v1/exports/{id}/file", tag = "recordings", params(("id" = u64, Path)),
    responses((status = 200, content_type = "video/mp4"), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub async fn export_file(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<u64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let job = st.engine.recordings().export_job(id)?;
    let path = st.engine.recordings().export_file(id)?;
    let len = tokio::fs::metadata(&path)
        .await
        .map(|m| m.len())
        .map_err(|e| err!(NotFound, code = ExportNotFound, "export file: {e}"))?;
    let name = format!(
        "camera-{}-{}.mp4",
        job.camera_id,
        vigil_base::format_rfc3339_ms(job.start_ms).replace(':', "-")
    );
    serve_range(path, len, &headers, "video/mp4", Some(name)).await
}

/// Serve the first `len` bytes of `path`, honouring a single `Range: bytes=` request.
async fn serve_range(
    path: PathBuf,
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
    let mut f = tokio::fs::File::open(&path)
        .await
        .map_err(|e| err!(NotFound, code = RecordingMissing, "{e}"))?;
    f.seek(std::io::SeekFrom::Start(start))
        .await
        .map_err(|e| err!(Unavailable, "seek: {e}"))?;
    let body = HttpBody::from_stream(tokio_util::io::ReaderStream::new(f.take(end - start)));
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
