//! Live view over HTTP (docs/live.md): stream info, snapshots and HLS. The WebSockets (MJPEG,
//! MSE) are in `live_ws.rs`.

use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::err;
use vigil_engine::cameras::CameraStatus;
use vigil_engine::live::{QualityView, StreamSel, ViewerCounts};
use vigil_engine::{Permission, Principal};

use crate::error::ErrorBody;
use crate::extract::{Data, Envelope, Path, Query};
use crate::security::{ClientAddr, require};
use crate::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(info))
        .routes(routes!(snapshot))
        .routes(routes!(hls_playlist))
        .routes(routes!(hls_init))
        .routes(routes!(hls_segment))
}

/// Which of the camera's streams: `main` (the default; recorded, full size) or `sub` (its
/// sub-stream, for grid tiles; the main one for a camera without).
#[derive(Clone, Copy, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamParam {
    /// `main` (default) or `sub`.
    #[param(value_type = Option<String>, pattern = "^(main|sub)$")]
    pub stream: Option<StreamSel>,
}

impl StreamParam {
    pub fn sel(self) -> StreamSel {
        self.stream.unwrap_or_default()
    }
}

/// `GET /cameras/{id}/stream/info`: what a player needs to pick a live stream.
#[derive(Serialize, ToSchema)]
pub struct StreamInfo {
    pub camera_id: i64,
    pub state: CameraStatus,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    /// `video/mp4; codecs="…"` for `MediaSource.isTypeSupported`, once the camera has connected.
    pub mime: Option<String>,
    pub streams: Vec<StreamEndpoint>,
    pub viewers: ViewerCounts,
    /// Which stream this describes (`sub` falls back to `main` for a camera without one).
    pub stream: StreamSel,
    /// Whether the camera has a sub-stream of its own (grid tiles then play it).
    pub has_sub: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StreamEndpoint {
    /// `mse`, `hls`, `mjpeg` or `snapshot`.
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualities: Option<Vec<QualityView>>,
}

/// Live stream endpoints of a camera, its codec (MIME type for `MediaSource.isTypeSupported`),
/// MJPEG quality levels and viewer counts.
#[utoipa::path(get, path = "/cameras/{id}/stream/info", tag = "live", params(("id" = i64, Path), StreamParam),
    responses((status = 200, body = Envelope<StreamInfo>)), security(("bearer" = ["stream:view"])))]
pub async fn info(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<StreamParam>,
) -> Result<Data<StreamInfo>, ApiError> {
    require(&p, Permission::StreamView)?;
    let cam = st.engine.cameras().get(id).await?;
    let has_sub = st.engine.live().has_sub(id);
    let stream = if has_sub { q.sel() } else { StreamSel::Main };
    let status = st.engine.runtimes().status(&cam);
    let (codec, width, height) = match stream {
        StreamSel::Main => (status.codec, status.width, status.height),
        StreamSel::Sub => st.engine.runtimes().sub_video(id).unwrap_or((None, 0, 0)),
    };
    let live = st.engine.live().info(id, stream, width, height);
    let base = format!("/api/v1/cameras/{id}");
    let query = match stream {
        StreamSel::Main => "",
        StreamSel::Sub => "?stream=sub",
    };
    let endpoint = |kind: &str, path: &str| StreamEndpoint {
        kind: kind.into(),
        url: format!("{base}{path}{query}"),
        qualities: None,
    };
    Ok(Data(StreamInfo {
        camera_id: id,
        state: cam.status,
        codec,
        width,
        height,
        mime: live.mime,
        streams: vec![
            endpoint("mse", "/stream/mse"),
            endpoint("hls", "/hls/live.m3u8"),
            StreamEndpoint {
                qualities: Some(live.qualities),
                ..endpoint("mjpeg", "/stream")
            },
            endpoint("snapshot", "/stream/snapshot"),
        ],
        viewers: live.viewers,
        stream,
        has_sub,
    }))
}

/// The camera's current picture as JPEG (from the live decode when someone watches, else the
/// next keyframe).
#[utoipa::path(get, path = "/cameras/{id}/stream/snapshot", tag = "live", params(("id" = i64, Path), StreamParam),
    responses((status = 200, content_type = "image/jpeg"),
        (status = 409, description = "STREAM_NOT_READY: the camera is not connected (see its status)", body = ErrorBody),
        (status = 503, description = "SNAPSHOT_UNAVAILABLE: connected, but no picture within 10 s", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn snapshot(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<StreamParam>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.cameras().get(id).await?;
    let frame = st.engine.live().snapshot(id, q.sel()).await?;
    Ok(typed("image/jpeg", "no-store", frame.jpeg))
}

/// Live HLS (fMP4 segments of ~2 s, the newest `HLS_MAX_SEGMENTS` kept). The first request waits
/// for the first segment.
#[utoipa::path(get, path = "/cameras/{id}/hls/live.m3u8", tag = "live", params(("id" = i64, Path), StreamParam),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl"),
        (status = 409, description = "STREAM_NOT_READY: the camera is not connected (see its status)", body = ErrorBody),
        (status = 503, description = "STREAM_NOT_READY: connected, but no segment within the wait", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn hls_playlist(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<StreamParam>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.cameras().get(id).await?;
    let m = st.engine.live().hls_playlist(id, q.sel()).await?;
    // A view is a caller that keeps reloading the playlist; its segments need no bookkeeping.
    st.hls_views.seen(&p, id, client);
    Ok(typed("application/vnd.apple.mpegurl", "no-cache", m))
}

/// An init segment named by the live playlist (`{generation}.mp4`).
#[utoipa::path(get, path = "/cameras/{id}/hls/init/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path), StreamParam),
    responses((status = 200, content_type = "video/mp4")), security(("bearer" = ["stream:view"])))]
pub async fn hls_init(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((id, name)): Path<(i64, String)>,
    Query(q): Query<StreamParam>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let generation = numbered(&name, ".mp4")?;
    let data = st.engine.live().hls_init(id, q.sel(), generation)?;
    Ok(typed("video/mp4", "max-age=60", data))
}

/// A media segment named by the live playlist (`{sequence}.m4s`).
#[utoipa::path(get, path = "/cameras/{id}/hls/segment/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path), StreamParam),
    responses((status = 200, content_type = "video/iso.segment")), security(("bearer" = ["stream:view"])))]
pub async fn hls_segment(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((id, name)): Path<(i64, String)>,
    Query(q): Query<StreamParam>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let seq = numbered(&name, ".m4s")?;
    let data = st.engine.live().hls_segment(id, q.sel(), seq)?;
    Ok(typed("video/iso.segment", "max-age=60", data))
}

/// A body with its content type and caching.
pub(crate) fn typed(
    content_type: &'static str,
    cache: &'static str,
    body: impl IntoResponse,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// `17.m4s` → 17.
fn numbered(name: &str, ext: &str) -> Result<u64, ApiError> {
    name.strip_suffix(ext)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| {
            ApiError(err!(
                NotFound,
                code = SegmentNotFound,
                "no such segment: {name}"
            ))
        })
}
