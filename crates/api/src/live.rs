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
use vigil_engine::live::{QualityView, ViewerCounts};
use vigil_engine::{Permission, Principal};

use crate::error::ErrorBody;
use crate::extract::{Data, Envelope, Path};
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
#[utoipa::path(get, path = "/cameras/{id}/stream/info", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<StreamInfo>)), security(("bearer" = ["stream:view"])))]
pub async fn info(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<StreamInfo>, ApiError> {
    require(&p, Permission::StreamView)?;
    let cam = st.engine.cameras().get(id).await?;
    let status = st.engine.runtimes().status(&cam);
    let live = st.engine.live().info(id, status.width, status.height);
    let base = format!("/api/v1/cameras/{id}");
    let endpoint = |kind: &str, path: &str| StreamEndpoint {
        kind: kind.into(),
        url: format!("{base}{path}"),
        qualities: None,
    };
    Ok(Data(StreamInfo {
        camera_id: id,
        state: cam.status,
        codec: status.codec,
        width: status.width,
        height: status.height,
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
    }))
}

/// The camera's current picture as JPEG (from the live decode when someone watches, else the
/// next keyframe).
#[utoipa::path(get, path = "/cameras/{id}/stream/snapshot", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"),
        (status = 409, description = "STREAM_NOT_READY: the camera is not connected (see its status)", body = ErrorBody),
        (status = 503, description = "SNAPSHOT_UNAVAILABLE: connected, but no picture within 10 s", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn snapshot(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.cameras().get(id).await?;
    let frame = st.engine.live().snapshot(id).await?;
    Ok(typed("image/jpeg", "no-store", frame.jpeg))
}

/// Live HLS (fMP4 segments of ~2 s, the newest `HLS_MAX_SEGMENTS` kept). The first request waits
/// for the first segment.
#[utoipa::path(get, path = "/cameras/{id}/hls/live.m3u8", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl"),
        (status = 409, description = "STREAM_NOT_READY: the camera is not connected (see its status)", body = ErrorBody),
        (status = 503, description = "STREAM_NOT_READY: connected, but no segment within the wait", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn hls_playlist(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.cameras().get(id).await?;
    let m = st.engine.live().hls_playlist(id).await?;
    // A view is a caller that keeps reloading the playlist; its segments need no bookkeeping.
    st.hls_views.seen(&p, id, client);
    Ok(typed("application/vnd.apple.mpegurl", "no-cache", m))
}

/// An init segment named by the live playlist (`{generation}.mp4`).
#[utoipa::path(get, path = "/cameras/{id}/hls/init/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "video/mp4")), security(("bearer" = ["stream:view"])))]
pub async fn hls_init(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((id, name)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let generation = numbered(&name, ".mp4")?;
    let data = st.engine.live().hls_init(id, generation)?;
    Ok(typed("video/mp4", "max-age=60", data))
}

/// A media segment named by the live playlist (`{sequence}.m4s`).
#[utoipa::path(get, path = "/cameras/{id}/hls/segment/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "video/iso.segment")), security(("bearer" = ["stream:view"])))]
pub async fn hls_segment(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path((id, name)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let seq = numbered(&name, ".m4s")?;
    let data = st.engine.live().hls_segment(id, seq)?;
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
