//! Live view over WebSocket (docs/live.md): MJPEG (binary JPEG messages at a chosen quality) and
//! MSE (fragmented MP4). Either authenticates with `Authorization`, `?token=`, or — keeping the
//! token out of URLs and logs — `{"type":"auth","token":…}` as the first message. Errors known
//! before the upgrade (bad quality, unknown camera, the stream limit) are plain HTTP errors; a
//! stream that ends later closes the socket with a code.

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::{Permission, Principal};
use vigil_live::{MseEvent, Quality};

use crate::extract::{Path, Query};
use crate::live_audit::LiveWatch;
use crate::security::{ClientAddr, PendingWsAuth, require};
use crate::ws::{caller, close};
use crate::{ApiError, AppState};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mjpeg))
        .routes(routes!(mse))
}

/// Query of the MSE socket.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MseQuery {
    /// `main` (default) or `sub` (the camera's sub-stream, if it has one).
    #[param(value_type = Option<String>, pattern = "^(main|sub)$")]
    pub stream: Option<vigil_engine::live::StreamSel>,
    /// A bearer token, for clients that cannot set headers; or send it as the first message.
    /// (Read by the authentication layer.)
    #[allow(dead_code)]
    pub token: Option<String>,
}

/// Query of the MJPEG socket.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MjpegQuery {
    /// `low`, `medium` (the default) or `high`.
    pub quality: Option<String>,
    /// `main` (default) or `sub` (the camera's sub-stream, if it has one).
    #[param(value_type = Option<String>, pattern = "^(main|sub)$")]
    pub stream: Option<vigil_engine::live::StreamSel>,
    /// A bearer token, for clients that cannot set headers; or send it as the first message.
    /// (Read by the authentication layer.)
    #[allow(dead_code)]
    pub token: Option<String>,
}

#[derive(Deserialize)]
struct Control {
    #[serde(rename = "type")]
    kind: Option<String>,
    quality: Option<String>,
}

/// Who is asking: the upgrade's principal (its permission checked now, so a refusal is an HTTP
/// error), or nobody yet when the token comes in the first message.
fn upgrade_caller(
    principal: Option<Extension<Principal>>,
    pending: Option<PendingWsAuth>,
) -> Result<Option<Principal>, ApiError> {
    match (principal, pending) {
        (Some(Extension(p)), _) => {
            require(&p, Permission::StreamView)?;
            Ok(Some(p))
        }
        (None, Some(_)) => Ok(None),
        // Unreachable through the auth middleware; refuse rather than serve unauthenticated.
        (None, None) => Err(ApiError(vigil_base::err!(
            Unauthenticated,
            code = AuthTokenMissing,
            "token required"
        ))),
    }
}

/// MJPEG over WebSocket: binary JPEG messages at the chosen quality (`low`, `medium` — the
/// default — or `high`); send `{"quality":"high"}` to switch, `{"type":"ping"}` for a pong.
#[utoipa::path(get, path = "/cameras/{id}/stream", tag = "live",
    params(("id" = i64, Path), MjpegQuery),
    responses((status = 101, description = "WebSocket of JPEG frames")),
    security(("bearer" = ["stream:view"])))]
pub async fn mjpeg(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    principal: Option<Extension<Principal>>,
    pending: Option<Extension<PendingWsAuth>>,
    Path(id): Path<i64>,
    Query(q): Query<MjpegQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let pending = pending.map(|Extension(p)| p);
    let principal = upgrade_caller(principal, pending)?;
    let quality: Quality = match q.quality.as_deref() {
        Some(s) => s.parse()?,
        None => Quality::Medium,
    };
    let stream = q.stream.unwrap_or_default();
    let cam = st.engine.cameras().get(id).await?;
    // Known callers learn of a refusal (the stream limit) as an HTTP error, before the upgrade.
    let early = match principal {
        Some(_) => Some(st.engine.live().mjpeg(id, stream, quality).await?),
        None => None,
    };
    Ok(ws
        .max_message_size(4 * 1024)
        .on_upgrade(move |mut socket| async move {
            let Some(principal) =
                caller(&st, &mut socket, principal, pending, Permission::StreamView).await
            else {
                return;
            };
            if !principal.can_see(id) {
                let _ = socket.send(close(4404, "CAMERA_NOT_FOUND")).await;
                return;
            }
            let viewer = match early {
                Some(v) => v,
                None => match st.engine.live().mjpeg(id, stream, quality).await {
                    Ok(v) => v,
                    Err(e) => {
                        let _ = socket
                            .send(Message::Text(error_json(&e).to_string().into()))
                            .await;
                        let _ = socket.send(close(1013, "stream unavailable")).await;
                        return;
                    }
                },
            };
            let watch = LiveWatch::open(st.engine.audit(), &principal, id, "mjpeg", client);
            run_mjpeg(st, socket, cam, stream, viewer, &principal).await;
            drop(watch);
        }))
}

async fn run_mjpeg(
    st: AppState,
    mut socket: WebSocket,
    cam: vigil_engine::cameras::Camera,
    stream: vigil_engine::live::StreamSel,
    mut viewer: vigil_live::Viewer,
    principal: &Principal,
) {
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    let gone = crate::ws::revoked(&st, principal);
    tokio::pin!(gone);
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
                            Ok(q) => match st.engine.live().mjpeg(cam.id, stream, q).await {
                                Ok(v) => {
                                    viewer = v;
                                    let s = st.engine.runtimes().status(&cam);
                                    let (w, h) = if s.width > 0 {
                                        q.output_size(s.width, s.height.max(1))
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
                        _ => serde_json::json!({"type": "error", "code": vigil_base::ErrorCode::InvalidMessage,
                            "message": "expected {\"quality\":\"low|medium|high\"} or {\"type\":\"ping\"}"}),
                    };
                    if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = &mut gone => {
                let _ = socket.send(crate::ws::revoked_close()).await;
                return;
            }
            _ = &mut shutdown => {
                let _ = socket.send(close(1001, "server shutting down")).await;
                return;
            }
        }
    }
}

/// Low-latency live fMP4 for MediaSource: a JSON `init` message (MIME type), the init segment,
/// then a fragment per frame from the latest keyframe on (docs/live.md).
#[utoipa::path(get, path = "/cameras/{id}/stream/mse", tag = "live",
    params(("id" = i64, Path), MseQuery),
    responses((status = 101, description = "WebSocket of fMP4 init and fragments")),
    security(("bearer" = ["stream:view"])))]
pub async fn mse(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    principal: Option<Extension<Principal>>,
    pending: Option<Extension<PendingWsAuth>>,
    Path(id): Path<i64>,
    Query(q): Query<MseQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let pending = pending.map(|Extension(p)| p);
    let principal = upgrade_caller(principal, pending)?;
    st.engine.cameras().get(id).await?;
    let viewer = st
        .engine
        .live()
        .mse(id, q.stream.unwrap_or_default())
        .await?;
    Ok(ws
        .max_message_size(4 * 1024)
        .on_upgrade(move |mut socket| async move {
            if let Some(principal) =
                caller(&st, &mut socket, principal, pending, Permission::StreamView).await
            {
                if !principal.can_see(id) {
                    let _ = socket.send(close(4404, "CAMERA_NOT_FOUND")).await;
                    return;
                }
                let watch = LiveWatch::open(st.engine.audit(), &principal, id, "mse", client);
                run_mse(st, socket, viewer, &principal).await;
                drop(watch);
            }
        }))
}

async fn run_mse(
    st: AppState,
    mut socket: WebSocket,
    mut viewer: vigil_live::MseViewer,
    principal: &Principal,
) {
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    let gone = crate::ws::revoked(&st, principal);
    tokio::pin!(gone);
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
            _ = &mut gone => {
                let _ = socket.send(crate::ws::revoked_close()).await;
                return;
            }
            _ = &mut shutdown => {
                let _ = socket.send(close(1001, "server shutting down")).await;
                return;
            }
        }
    }
}

fn error_json(e: &vigil_base::Error) -> serde_json::Value {
    serde_json::json!({"type": "error", "code": e.code(), "message": e.to_string()})
}
