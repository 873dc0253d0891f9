//! WebSocket `/api/v1/events`: the engine's event bus as JSON text messages, each one variant of
//! [`WireEvent`] — `{"type": "camera:created", "camera_id": …, "at": …, …fields}`. The union is
//! in the OpenAPI document and generated into the TypeScript union the UI switches on. A client
//! that cannot keep up is told how many events it missed (`events:lagged`) instead of slowing
//! anyone down.

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::cameras::CameraStatus;
use vigil_engine::detection::{CameraDetection, DetectionStatus};
use vigil_engine::discovery::Found;
use vigil_engine::events::Heartbeat;
use vigil_engine::{Event, EventBody, Permission, Principal};

use crate::AppState;
use crate::alerts::Alert;
use crate::bookmarks::Bookmark;
use crate::cameras::Camera;
use crate::detections::{DetectionEventView, DetectionView};
use crate::security::PendingWsAuth;
use crate::storage::StorageReason;
use crate::ws::{caller, close, is_type};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// One message on `/api/v1/events`.
#[derive(Serialize, ToSchema)]
pub struct WireEvent {
    /// The camera it is about, if any.
    pub camera_id: Option<i64>,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    #[serde(flatten)]
    pub body: WireBody,
}

/// What happened, tagged by `type`.
#[derive(Serialize, ToSchema)]
#[serde(tag = "type")]
pub enum WireBody {
    /// The socket is authenticated and subscribed (sent first).
    #[serde(rename = "hello")]
    Hello { subscriber: String },
    /// The answer to a `{"type":"ping"}`.
    #[serde(rename = "pong")]
    Pong {},
    /// This subscriber fell behind and missed `missed` events: refetch what it shows.
    #[serde(rename = "events:lagged")]
    EventsLagged { missed: u64 },
    #[serde(rename = "camera:created")]
    CameraCreated { camera: Camera },
    #[serde(rename = "camera:updated")]
    CameraUpdated { camera: Camera },
    #[serde(rename = "camera:deleted")]
    CameraDeleted {},
    /// The camera's stream changed state; `detail` says why.
    #[serde(rename = "stream:status")]
    StreamStatus {
        status: CameraStatus,
        detail: Option<String>,
    },
    /// Every few seconds per running camera: rates since the last one.
    #[serde(rename = "stream:heartbeat")]
    StreamHeartbeat(Heartbeat),
    /// A segment began (RFC 3339).
    #[serde(rename = "recording:started")]
    RecordingStarted { recording_id: i64, start: String },
    /// A segment is complete and indexed.
    #[serde(rename = "recording:segment")]
    RecordingSegment {
        recording_id: i64,
        start: String,
        end: String,
        bytes: u64,
    },
    /// The recorder could not write; `storage_full` when the disk is full.
    #[serde(rename = "recording:failed")]
    RecordingFailed { message: String, storage_full: bool },
    /// The wall clock jumped by `jump_ms`; segment times were kept monotonic.
    #[serde(rename = "recording:clock_jump")]
    RecordingClockJump { jump_ms: i64 },
    #[serde(rename = "recording:deleted")]
    RecordingDeleted { recording_id: i64 },
    /// The mover moved a segment to another tier (`reason`: why).
    #[serde(rename = "storage:moved")]
    StorageMoved {
        recording_id: i64,
        from_tier: String,
        to_tier: String,
        reason: StorageReason,
        bytes: u64,
    },
    /// A segment was deleted (retention, age, size, free space, or by hand).
    #[serde(rename = "storage:deleted")]
    StorageDeleted {
        recording_id: i64,
        tier: String,
        reason: StorageReason,
        bytes: u64,
    },
    /// A tier is not there (identity file missing): nothing is moved to or deleted from it.
    #[serde(rename = "storage:tier_offline")]
    StorageTierOffline { tier: String, reason: String },
    #[serde(rename = "storage:tier_online")]
    StorageTierOnline { tier: String },
    /// An export's progress, 0.0–1.0.
    #[serde(rename = "export:progress")]
    ExportProgress { export_id: u64, progress: f64 },
    #[serde(rename = "export:done")]
    ExportDone { export_id: u64, bytes: Option<u64> },
    #[serde(rename = "export:failed")]
    ExportFailed { export_id: u64, error: String },
    /// A sighting was stored; `latency_ms` from the frame to its row.
    #[serde(rename = "detection")]
    Detection {
        detection: DetectionView,
        latency_ms: i64,
    },
    #[serde(rename = "detection_event:start")]
    DetectionEventStart { event: DetectionEventView },
    #[serde(rename = "detection_event:end")]
    DetectionEventEnd { event: DetectionEventView },
    /// Detection's state changed (loaded, unavailable).
    #[serde(rename = "detection:status")]
    DetectionStatusChanged { status: DetectionStatus },
    /// A camera's detection settings changed.
    #[serde(rename = "camera:detection")]
    CameraDetectionChanged { detection: CameraDetection },
    #[serde(rename = "alert")]
    Alert {
        alert: Alert,
        camera_name: Option<String>,
    },
    #[serde(rename = "alert:acknowledged")]
    AlertAcknowledged { alert: Alert },
    /// An incident grew or ended, or a condition cleared: replace the alert with this one.
    #[serde(rename = "alert:updated")]
    AlertUpdated { alert: Alert },
    /// Someone clicked the desktop notification of `alert_id`.
    #[serde(rename = "notification:clicked")]
    NotificationClicked { alert_id: i64 },
    #[serde(rename = "bookmark:created")]
    BookmarkCreated { bookmark: Bookmark },
    #[serde(rename = "bookmark:deleted")]
    BookmarkDeleted { bookmark_id: i64 },
    /// A layout of `owner` was saved or deleted.
    #[serde(rename = "layout:saved")]
    LayoutSaved { layout_id: i64, owner: String },
    #[serde(rename = "layout:deleted")]
    LayoutDeleted { layout_id: i64, owner: String },
    /// A device answered discovery scan `scan_id` (`POST /discovery/scan`); `camera_id`: it
    /// already is that camera. Sent only to callers with `camera:write`.
    #[serde(rename = "discovery:found")]
    DiscoveryFound {
        scan_id: u64,
        device: Found,
        camera_id: Option<i64>,
    },
    /// Scan `scan_id` ended with `found` devices (`error`: it could not probe at all).
    #[serde(rename = "discovery:done")]
    DiscoveryDone {
        scan_id: u64,
        found: usize,
        error: Option<String>,
    },
}

impl WireEvent {
    fn now(st: &AppState, body: WireBody) -> WireEvent {
        WireEvent {
            camera_id: None,
            at: rfc3339(st.engine.now_ms()),
            body,
        }
    }
}

impl From<&Event> for WireEvent {
    fn from(e: &Event) -> Self {
        let body = match &e.body {
            EventBody::CameraCreated { camera } => WireBody::CameraCreated {
                camera: (**camera).clone().into(),
            },
            EventBody::CameraUpdated { camera } => WireBody::CameraUpdated {
                camera: (**camera).clone().into(),
            },
            EventBody::CameraDeleted => WireBody::CameraDeleted {},
            EventBody::StreamStatus { status, detail } => WireBody::StreamStatus {
                status: *status,
                detail: detail.clone(),
            },
            EventBody::StreamHeartbeat(h) => WireBody::StreamHeartbeat((**h).clone()),
            EventBody::RecordingStarted {
                recording_id,
                start_ms,
            } => WireBody::RecordingStarted {
                recording_id: *recording_id,
                start: rfc3339(*start_ms),
            },
            EventBody::RecordingSegment {
                recording_id,
                start_ms,
                end_ms,
                bytes,
            } => WireBody::RecordingSegment {
                recording_id: *recording_id,
                start: rfc3339(*start_ms),
                end: rfc3339(*end_ms),
                bytes: *bytes,
            },
            EventBody::RecordingFailed {
                message,
                storage_full,
            } => WireBody::RecordingFailed {
                message: message.clone(),
                storage_full: *storage_full,
            },
            EventBody::RecordingClockJump { jump_ms } => {
                WireBody::RecordingClockJump { jump_ms: *jump_ms }
            }
            EventBody::RecordingDeleted { recording_id } => WireBody::RecordingDeleted {
                recording_id: *recording_id,
            },
            EventBody::StorageMoved {
                recording_id,
                from_tier,
                to_tier,
                reason,
                bytes,
            } => WireBody::StorageMoved {
                recording_id: *recording_id,
                from_tier: from_tier.clone(),
                to_tier: to_tier.clone(),
                reason: (*reason).into(),
                bytes: *bytes,
            },
            EventBody::StorageDeleted {
                recording_id,
                tier,
                reason,
                bytes,
            } => WireBody::StorageDeleted {
                recording_id: *recording_id,
                tier: tier.clone(),
                reason: (*reason).into(),
                bytes: *bytes,
            },
            EventBody::StorageTierOffline { tier, reason } => WireBody::StorageTierOffline {
                tier: tier.clone(),
                reason: reason.clone(),
            },
            EventBody::StorageTierOnline { tier } => {
                WireBody::StorageTierOnline { tier: tier.clone() }
            }
            EventBody::ExportProgress {
                export_id,
                progress,
            } => WireBody::ExportProgress {
                export_id: *export_id,
                progress: *progress,
            },
            EventBody::ExportDone { export_id, bytes } => WireBody::ExportDone {
                export_id: *export_id,
                bytes: *bytes,
            },
            EventBody::ExportFailed { export_id, error } => WireBody::ExportFailed {
                export_id: *export_id,
                error: error.clone(),
            },
            EventBody::Detection {
                detection,
                latency_ms,
            } => WireBody::Detection {
                detection: (**detection).clone().into(),
                latency_ms: *latency_ms,
            },
            EventBody::DetectionEventStart { event } => WireBody::DetectionEventStart {
                event: (**event).clone().into(),
            },
            EventBody::DetectionEventEnd { event } => WireBody::DetectionEventEnd {
                event: (**event).clone().into(),
            },
            EventBody::DetectionStatusChanged { status } => WireBody::DetectionStatusChanged {
                status: (**status).clone(),
            },
            EventBody::CameraDetectionChanged { detection } => WireBody::CameraDetectionChanged {
                detection: (**detection).clone(),
            },
            EventBody::Alert { alert, camera_name } => WireBody::Alert {
                alert: (**alert).clone().into(),
                camera_name: camera_name.clone(),
            },
            EventBody::AlertAcknowledged { alert } => WireBody::AlertAcknowledged {
                alert: (**alert).clone().into(),
            },
            EventBody::AlertUpdated { alert } => WireBody::AlertUpdated {
                alert: (**alert).clone().into(),
            },
            EventBody::NotificationClicked { alert_id } => WireBody::NotificationClicked {
                alert_id: *alert_id,
            },
            EventBody::BookmarkCreated { bookmark } => WireBody::BookmarkCreated {
                bookmark: (**bookmark).clone().into(),
            },
            EventBody::BookmarkDeleted { bookmark_id } => WireBody::BookmarkDeleted {
                bookmark_id: *bookmark_id,
            },
            EventBody::LayoutSaved { layout_id, owner } => WireBody::LayoutSaved {
                layout_id: *layout_id,
                owner: owner.clone(),
            },
            EventBody::LayoutDeleted { layout_id, owner } => WireBody::LayoutDeleted {
                layout_id: *layout_id,
                owner: owner.clone(),
            },
            EventBody::DiscoveryFound {
                scan_id,
                device,
                camera_id,
            } => WireBody::DiscoveryFound {
                scan_id: *scan_id,
                device: (**device).clone(),
                camera_id: *camera_id,
            },
            EventBody::DiscoveryDone {
                scan_id,
                found,
                error,
            } => WireBody::DiscoveryDone {
                scan_id: *scan_id,
                found: *found,
                error: error.clone(),
            },
        };
        WireEvent {
            camera_id: e.camera_id,
            at: rfc3339(e.at_ms),
            body,
        }
    }
}

/// Stream events. Authenticate with `Authorization`, `?token=` or — keeping the token out of
/// URLs — `{"type":"auth","token":"..."}` as the first message within 10 s. The server then sends
/// `hello` and every event; send `{"type":"ping"}` for a `pong`.
#[utoipa::path(get, path = "/events", tag = "events",
    params(("token" = Option<String>, Query, description = "bearer token, for clients that cannot set headers")),
    responses((status = 101, description = "WebSocket of JSON events", body = WireEvent)),
    security(("bearer" = ["camera:read"])))]
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
    let pending = pending.map(|Extension(p)| p);
    ws.max_message_size(16 * 1024)
        .on_upgrade(move |socket| run(st, socket, principal, pending))
}

async fn send(socket: &mut WebSocket, ev: &WireEvent) -> bool {
    match serde_json::to_string(ev) {
        Ok(text) => socket.send(Message::Text(text.into())).await.is_ok(),
        Err(_) => true,
    }
}

async fn run(
    st: AppState,
    mut socket: WebSocket,
    principal: Option<Principal>,
    pending: Option<PendingWsAuth>,
) {
    let Some(principal) =
        caller(&st, &mut socket, principal, pending, Permission::CameraRead).await
    else {
        return;
    };
    let _client = st.metrics.ws_connected();
    let mut rx = st.engine.events().subscribe();
    let hello = WireEvent::now(
        &st,
        WireBody::Hello {
            subscriber: principal.name.clone(),
        },
    );
    if !send(&mut socket, &hello).await {
        return;
    }
    let shutdown = st.shutdown.clone().wait();
    tokio::pin!(shutdown);
    let gone = crate::ws::revoked(&st, &principal);
    tokio::pin!(gone);
    loop {
        tokio::select! {
            ev = rx.recv() => match ev {
                Ok(ev) => {
                    // A caller limited to some cameras hears only of those (and of no camera).
                    if ev.camera_id.is_some_and(|c| !principal.can_see(c)) {
                        continue;
                    }
                    // What is on the LAN is for those who may add cameras.
                    if matches!(ev.body, EventBody::DiscoveryFound { .. } | EventBody::DiscoveryDone { .. })
                        && !principal.has(Permission::CameraWrite)
                    {
                        continue;
                    }
                    let mut wire = WireEvent::from(&*ev);
                    if let WireBody::CameraCreated { camera } | WireBody::CameraUpdated { camera } = &mut wire.body {
                        camera.hide_key_from(&principal);
                    }
                    if !send(&mut socket, &wire).await {
                        return;
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    st.metrics.ws_lagged(n);
                    if !send(&mut socket, &WireEvent::now(&st, WireBody::EventsLagged { missed: n })).await {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    if is_type(&t, "ping") && !send(&mut socket, &WireEvent::now(&st, WireBody::Pong {})).await {
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
