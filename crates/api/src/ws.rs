//! What every WebSocket shares: authentication by the first message (`{"type":"auth","token":…}`
//! within 10 s) for clients that must keep tokens out of URLs, with the permission the socket
//! needs; and close frames with codes the UI understands (4401 unauthenticated, 4403 forbidden,
//! 4429 rate limited, 1001 shutting down, 1011 stream ended).

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::security::{PendingWsAuth, check_origin};

/// How long a socket may take to send its token.
const AUTH_WAIT: Duration = Duration::from_secs(10);

/// The caller of a socket: the one the upgrade request authenticated, else the token of the
/// first message. Closes the socket (and returns `None`) when there is none, it is invalid, it is
/// over its rate limit, or it lacks `needs`.
pub async fn caller(
    st: &AppState,
    socket: &mut WebSocket,
    authenticated: Option<Principal>,
    pending: Option<PendingWsAuth>,
    needs: Permission,
) -> Option<Principal> {
    let p = match authenticated {
        Some(p) => p,
        None => first_message_auth(st, socket, pending.is_none_or(|p| p.same_host)).await?,
    };
    if !p.has(needs) {
        let _ = socket
            .send(close(4403, "AUTH_INSUFFICIENT_PERMISSIONS"))
            .await;
        return None;
    }
    Some(p)
}

async fn first_message_auth(
    st: &AppState,
    socket: &mut WebSocket,
    same_host: bool,
) -> Option<Principal> {
    let first = tokio::time::timeout(AUTH_WAIT, socket.recv()).await;
    let token = match first {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str::<serde_json::Value>(&t)
            .ok()
            .filter(|v| v["type"] == "auth")
            .and_then(|v| v["token"].as_str().map(str::to_string)),
        _ => None,
    };
    let Some(token) = token else {
        st.metrics.auth_failure("missing");
        let _ = socket.send(close(4401, "AUTH_TOKEN_MISSING")).await;
        return None;
    };
    match st
        .engine
        .tokens()
        .authenticate(&token)
        .and_then(|p| check_origin(&p, same_host).map(|()| p))
    {
        Ok(p) => {
            if st.limiter.check(&p).is_err() {
                st.metrics.rate_limited();
                let _ = socket.send(close(4429, "RATE_LIMIT_EXCEEDED")).await;
                return None;
            }
            Some(p)
        }
        Err(_) => {
            st.metrics.auth_failure("invalid");
            let _ = socket.send(close(4401, "AUTH_TOKEN_INVALID")).await;
            None
        }
    }
}

/// Resolves when `p` stops being what it was when it authenticated: its token revoked or expired,
/// its session signed out, its user disabled or given another role or other cameras. Sockets
/// select on it and close with 4401 (the UI signs in again, or refreshes and reconnects with the
/// new rights). Woken by the token service's revocation signal, so it costs nothing meanwhile.
pub async fn revoked(st: &AppState, p: &Principal) {
    let tokens = st.engine.tokens();
    let mut rx = tokens.revocations();
    loop {
        if !tokens.is_current(p) {
            st.metrics.socket_revoked();
            return;
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// The close frame of a revoked socket.
pub fn revoked_close() -> Message {
    close(4401, "AUTH_REVOKED")
}

/// Whether a text message is `{"type": ty, ...}`.
pub fn is_type(text: &str, ty: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v["type"] == ty)
}

pub fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
