//! WebSocket `/api/v1/events`: the engine's event bus as JSON text messages. A client that cannot
//! keep up is told how many events it missed (`events:lagged`) instead of slowing anyone down.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tokio::sync::broadcast::error::RecvError;
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::security::PendingWsAuth;

pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(events))
}

/// Stream events. Authenticate with `?token=` or, with no token in the URL, send
/// `{"type":"auth","token":"..."}` as the first message within 10 s. The server then sends
/// `{"type":"hello"}` and every event as `{"type", "camera_id", "at", ...}`.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(("token" = Option<String>, Query, description = "bearer token, for browsers that cannot set headers")),
    responses((status = 101, description = "WebSocket of JSON events", body = vigil_engine::Event),
        (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn events(
    State(st): State<AppState>,
    principal: Option<Extension<Principal>>,
    pending: Option<Extension<PendingWsAuth>>,
    ws: WebSocketUpgrade,
) -> Response {
    let principal = principal.map(|Extension(p)| p);
    if principal.is_none() && pending.is_none() {
        // Unreachable through the auth middleware; refuse rather than serve unauthenticated.
        return crate::ApiError(vigil_base::err!(
            Unauthenticated,
            code = AuthTokenMissing,
            "token required"
        ))
        .into_response();
    }
    ws.max_message_size(16 * 1024)
        .on_upgrade(move |socket| run(st, socket, principal))
}

async fn run(st: AppState, mut socket: WebSocket, principal: Option<Principal>) {
    let principal = match principal {
        Some(p) => p,
        None => match first_message_auth(&st, &mut socket).await {
            Some(p) => p,
            None => return,
        },
    };
    if !principal.has(Permission::CameraRead) {
        let _ = socket
            .send(close_msg(4403, "AUTH_INSUFFICIENT_PERMISSIONS"))
            .await;
        return;
    }
    let _client = st.metrics.ws_connected();
    let mut rx = st.engine.events().subscribe();
    let hello = serde_json::json!({
        "type": "hello",
        "camera_id": null,
        "at": vigil_base::format_rfc3339_ms(st.engine.now_ms()),
        "subscriber": principal.name,
    });
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(ev) => {
                    let Ok(text) = serde_json::to_string(&*ev) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    st.metrics.ws_lagged(n);
                    let msg = serde_json::json!({
                        "type": "events:lagged", "camera_id": null,
                        "at": vigil_base::format_rfc3339_ms(st.engine.now_ms()), "missed": n,
                    });
                    if socket.send(Message::Text(msg.to_string().into())).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    if is_type(&t, "ping") {
                        let pong = serde_json::json!({"type": "pong", "camera_id": null,
                            "at": vigil_base::format_rfc3339_ms(st.engine.now_ms())});
                        if socket.send(Message::Text(pong.to_string().into())).await.is_err() {
                            return;
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = &mut shutdown => {
                let _ = socket.send(close_msg(1001, "server shutting down")).await;
                return;
            }
        }
    }
}

async fn first_message_auth(st: &AppState, socket: &mut WebSocket) -> Option<Principal> {
    let first = tokio::time::timeout(Duration::from_secs(10), socket.recv()).await;
    let token = match first {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str::<serde_json::Value>(&t)
            .ok()
            .filter(|v| v["type"] == "auth")
            .and_then(|v| v["token"].as_str().map(str::to_string)),
        _ => None,
    };
    let Some(token) = token else {
        st.metrics.auth_failure("missing");
        let _ = socket.send(close_msg(4401, "AUTH_TOKEN_MISSING")).await;
        return None;
    };
    match st.engine.tokens().authenticate(&token) {
        Ok(p) => {
            if st.limiter.check(&p).is_err() {
                st.metrics.rate_limited();
                let _ = socket.send(close_msg(4429, "RATE_LIMIT_EXCEEDED")).await;
                return None;
            }
            Some(p)
        }
        Err(_) => {
            st.metrics.auth_failure("invalid");
            let _ = socket.send(close_msg(4401, "AUTH_TOKEN_INVALID")).await;
            None
        }
    }
}

fn is_type(text: &str, ty: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v["type"] == ty)
}

fn close_msg(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(axum::extract::ws::CloseFrame {
        code,
        reason: reason.into(),
    }))
}
