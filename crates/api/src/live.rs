//! Live view over HTTP and WebSocket (docs/live.md): stream info, snapshots, MJPEG and MSE
//! WebSockets, and HLS. Errors that are known before the upgrade (bad quality, unknown camera,
//! the stream limit) are plain HTTP errors; a stream that ends later closes the socket with a
//! code.

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use vigil_base::err;
use vigil_engine::live::StreamInfoView;
use vigil_engine::{Permission, Principal};
use vigil_live::{MseEvent, Quality};

use crate::json::{Data, Envelope};
use crate::security::require;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cameras/{id}/stream/info", get(info))
        .route("/cameras/{id}/stream/snapshot", get(snapshot))
        .route("/cameras/{id}/stream", get(mjpeg))
        .route("/cameras/{id}/stream/mse", get(mse))
        .route("/cameras/{id}/hls/live.m3u8", get(hls_playlist))
        .route("/cameras/{id}/hls/init/{name}", get(hls_init))
        .route("/cameras/{id}/hls/segment/{name}", get(hls_segment))
}

/// Live stream endpoints of a camera, its codec (MIME type for `MediaSource.isTypeSupported`),
/// MJPEG quality levels and viewer counts.
#[utoipa::path(get, path = "/api/v1/cameras/{id}/stream/info", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<StreamInfoView>), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn info(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<StreamInfoView>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(
        st.engine.live().info(&st.engine.cameras().get(id).await?),
    ))
}

/// The camera's current picture as JPEG (from the live decode when someone watches, else the
/// next keyframe).
#[utoipa::path(get, path = "/api/v1/cameras/{id}/stream/snapshot", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn snapshot(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let frame = st
        .engine
        .live()
        .snapshot(&st.engine.cameras().get(id).await?)
        .await?;
    Ok(typed("image/jpeg", "no-store", frame.jpeg))
}

#[derive(Deserialize)]
pub struct MjpegQuery {
    quality: Option<String>,
}

/// MJPEG over WebSocket: binary JPEG messages at the chosen quality (`low`, `medium` — the
/// default — or `high`); send `{"quality":"high"}` to switch, `{"type":"ping"}` for a pong.
#[utoipa::path(get, path = "/api/v1/cameras/{id}/stream", tag = "live",
    params(("id" = i64, Path), ("quality" = Option<String>, Query), ("token" = Option<String>, Query)),
    responses((status = 101, description = "WebSocket of JPEG frames"), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn mjpeg(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<MjpegQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let quality: Quality = match q.quality.as_deref() {
        Some(s) => s.parse()?,
        None => Quality::Medium,
    };
    let cam = st.engine.cameras().get(id).await?;
    let viewer = st.engine.live().mjpeg(&cam, quality).await?;
    Ok(ws
        .max_message_size(4 * 1024)
        .on_upgrade(move |socket| run_mjpeg(st, socket, cam, viewer)))
}

#[derive(Deserialize)]
struct Control {
    #[serde(rename = "type")]
    kind: Option<String>,
    quality: Option<String>,
}

async fn run_mjpeg(
    st: AppState,
    mut socket: WebSocket,
    cam: vigil_engine::cameras::Camera,
    mut viewer: vigil_live::Viewer,
) {
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            frame = viewer.next_frame() => match frame {
                Some(f) => {
                    if socket.send(Message::Binary(f.jpeg)).await.is_err() {
                        return;
                    }
                }
                None => {
                    let _ = socket.send(close(1011, "stream ended")).await;
                    return;
                }
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    let reply = match serde_json::from_str::<Control>(&t) {
                        Ok(Control { quality: Some(q), .. }) => match q.parse::<Quality>() {
                            Ok(q) => match st.engine.live().mjpeg(&cam, q).await {
                                Ok(v) => {
                                    viewer = v;
                                    let info = st.engine.live().info(&cam);
                                    let (w, h) = if info.width > 0 {
                                        q.output_size(info.width, info.height.max(1))
                                    } else {
                                        q.max_size()
                                    };
                                    serde_json::json!({"type": "quality", "quality": q.as_str(),
                                        "width": w, "height": h, "fps": q.fps()})
                                }
                                Err(e) => error_json(&e),
                            },
                            Err(e) => error_json(&e),
                        },
                        Ok(Control { kind: Some(k), .. }) if k == "ping" => {
                            serde_json::json!({"type": "pong"})
                        }
                        _ => serde_json::json!({"type": "error", "code": "INVALID_MESSAGE",
                            "message": "expected {\"quality\":\"low|medium|high\"} or {\"type\":\"ping\"}"}),
                    };
                    if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = &mut shutdown => {
                let _ = socket.send(close(1001, "server shutting down")).await;
                return;
            }
        }
    }
}

/// Low-latency live fMP4 for MediaSource: a JSON `init` message (MIME type), the init segment,
/// then a fragment per frame from the latest keyframe on (docs/live.md).
#[utoipa::path(get, path = "/api/v1/cameras/{id}/stream/mse", tag = "live",
    params(("id" = i64, Path), ("token" = Option<String>, Query)),
    responses((status = 101, description = "WebSocket of fMP4 init and fragments"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn mse(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let viewer = st
        .engine
        .live()
        .mse(&st.engine.cameras().get(id).await?)
        .await?;
    Ok(ws
        .max_message_size(4 * 1024)
        .on_upgrade(move |socket| run_mse(st, socket, viewer)))
}

async fn run_mse(st: AppState, mut socket: WebSocket, mut viewer: vigil_live::MseViewer) {
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            ev = viewer.next() => {
                let sent = match ev {
                    Some(MseEvent::Init(init)) => {
                        let hello = serde_json::json!({"type": "init", "mime": init.mime,
                            "codec": init.codec, "width": init.width, "height": init.height});
                        match socket.send(Message::Text(hello.to_string().into())).await {
                            Ok(()) => socket.send(Message::Binary(init.data.clone())).await,
                            Err(e) => Err(e),
                        }
                    }
                    Some(MseEvent::Fragment(f)) => socket.send(Message::Binary(f)).await,
                    Some(MseEvent::Skip) => {
                        socket.send(Message::Text(r#"{"type":"skip"}"#.into())).await
                    }
                    None => {
                        let _ = socket.send(close(1011, "stream ended")).await;
                        return;
                    }
                };
                if sent.is_err() {
                    return;
                }
            }
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    let pong = serde_json::from_str::<Control>(&t)
                        .ok()
                        .and_then(|c| c.kind)
                        .is_some_and(|k| k == "ping");
                    if pong && socket.send(Message::Text(r#"{"type":"pong"}"#.into())).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = &mut shutdown => {
                let _ = socket.send(close(1001, "server shutting down")).await;
                return;
            }
        }
    }
}

/// Live HLS (fMP4 segments of ~2 s, the newest `HLS_MAX_SEGMENTS` kept). The first request waits
/// for the first segment.
#[utoipa::path(get, path = "/api/v1/cameras/{id}/hls/live.m3u8", tag = "live", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.apple.mpegurl"), (status = 404, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn hls_playlist(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::StreamView)?;
    let m = st
        .engine
        .live()
        .hls_playlist(&st.engine.cameras().get(id).await?)
        .await?;
    Ok(typed("application/vnd.apple.mpegurl", "no-cache", m))
}

/// An init segment named by the live playlist (`{generation}.mp4`).
#[utoipa::path(get, path = "/api/v1/cameras/{id}/hls/init/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "video/mp4"), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
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
#[utoipa::path(get, path = "/api/v1/cameras/{id}/hls/segment/{name}", tag = "live",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "video/iso.segment"), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
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
fn typed(content_type: &'static str, cache: &'static str, body: impl IntoResponse) -> Response {
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

fn error_json(e: &vigil_base::Error) -> serde_json::Value {
    serde_json::json!({"type": "error", "code": e.code(), "message": e.to_string()})
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
