//! `/api/v1/notifications`: alert channels beyond the desktop (webhooks), each with "send test"
//! and its deliveries, and the rules routing alerts to them (admin). Also the feed that hands
//! every raised alert, as the events socket's `alert` message, to the channels' outbox.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::shutdown::ShutdownWaiter;
use vigil_engine::channels::{AlertMeta, Channel, ChannelCreate, ChannelPatch, Delivery, Rule};
use vigil_engine::{AuditAction, AuditEntry, Engine, EventBody, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::events::WireEvent;
use crate::extract::{Body, Data, Envelope, Path, Query};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
        .routes(routes!(test))
        .routes(routes!(deliveries))
        .routes(routes!(rules, set_rules))
}

/// `POST /notifications/channels` answers the channel and, when Vigil made the webhook's signing
/// key, the key (shown this once).
#[derive(Serialize, ToSchema)]
pub struct ChannelCreated {
    pub channel: Channel,
    pub secret: Option<String>,
}

fn audit(st: &AppState, p: &Principal, client: Option<String>, details: serde_json::Value) {
    st.engine.audit().record(
        AuditEntry::by(p, AuditAction::SettingsChange)
            .target("notifications")
            .client(client)
            .details(details),
    );
}

/// Every alert channel.
#[utoipa::path(get, path = "/notifications/channels", tag = "notifications",
    responses((status = 200, body = Envelope<Vec<Channel>>)), security(("bearer" = ["admin"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<Channel>>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.channels().list().await?))
}

/// Add a channel: `{kind: "webhook", name, url, secret}` (the secret signs every body; absent,
/// Vigil makes one and answers it once).
#[utoipa::path(post, path = "/notifications/channels", tag = "notifications",
    request_body = ChannelCreate,
    responses((status = 201, body = Envelope<ChannelCreated>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn create(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(input): Body<ChannelCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::Admin)?;
    let (channel, secret) = st.engine.channels().create(input).await?;
    audit(
        &st,
        &p,
        client,
        serde_json::json!({"channel_created": channel.id, "name": channel.name}),
    );
    Ok((
        StatusCode::CREATED,
        Data(ChannelCreated { channel, secret }),
    ))
}

/// One channel.
#[utoipa::path(get, path = "/notifications/channels/{id}", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Channel>), (status = 404, body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Channel>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.channels().get(id).await?))
}

/// Change a channel's name, URL, signing key or whether it is on.
#[utoipa::path(patch, path = "/notifications/channels/{id}", tag = "notifications",
    params(("id" = i64, Path)),
    request_body = ChannelPatch,
    responses((status = 200, body = Envelope<Channel>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn update(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(patch): Body<ChannelPatch>,
) -> Result<Data<Channel>, ApiError> {
    require(&p, Permission::Admin)?;
    let secret_changed = patch.secret.is_some();
    let ch = st.engine.channels().update(id, patch).await?;
    audit(
        &st,
        &p,
        client,
        serde_json::json!({"channel_updated": id, "secret_changed": secret_changed}),
    );
    Ok(Data(ch))
}

/// Delete a channel with its deliveries (pending ones are dropped) and its signing key.
#[utoipa::path(delete, path = "/notifications/channels/{id}", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = ["admin"])))]
pub async fn remove(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::Admin)?;
    st.engine.channels().delete(id).await?;
    audit(&st, &p, client, serde_json::json!({"channel_deleted": id}));
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /notifications/channels/{id}/test` answers the queued delivery (follow it in the
/// channel's deliveries).
#[derive(Serialize, ToSchema)]
pub struct TestQueued {
    pub delivery_id: i64,
}

/// Send a test message through the channel now (through the outbox, with its retries).
#[utoipa::path(post, path = "/notifications/channels/{id}/test", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 202, body = Envelope<TestQueued>), (status = 404, body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn test(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::Admin)?;
    let delivery_id = st.engine.channels().test(id).await?;
    Ok((StatusCode::ACCEPTED, Data(TestQueued { delivery_id })))
}

/// Paging of deliveries.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryParams {
    /// Deliveries before this id (the last of the previous page).
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// 1–500, default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A channel's deliveries, newest first: sent, waiting for a retry (with the last error), or
/// given up (with the reason).
#[utoipa::path(get, path = "/notifications/channels/{id}/deliveries", tag = "notifications",
    params(("id" = i64, Path), DeliveryParams),
    responses((status = 200, body = Envelope<Vec<Delivery>>), (status = 404, body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn deliveries(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<DeliveryParams>,
) -> Result<Data<Vec<Delivery>>, ApiError> {
    require(&p, Permission::Admin)?;
    let limit = q.limit.unwrap_or(100);
    Ok(Data(
        st.engine.channels().deliveries(id, q.before, limit).await?,
    ))
}

/// The routing rules (an empty list: every warning-or-worse alert to every channel).
#[utoipa::path(get, path = "/notifications/rules", tag = "notifications",
    responses((status = 200, body = Envelope<Vec<Rule>>)), security(("bearer" = ["admin"])))]
pub async fn rules(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<Rule>>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.channels().rules().await?))
}

/// Replace the routing rules. An alert goes to a channel when a rule naming it (or naming no
/// channel) matches its type, severity, camera, label and armed hours (local time).
#[utoipa::path(put, path = "/notifications/rules", tag = "notifications", request_body = Vec<Rule>,
    responses((status = 200, body = Envelope<Vec<Rule>>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: a rule names a channel that does not exist", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn set_rules(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(rules): Body<Vec<Rule>>,
) -> Result<Data<Vec<Rule>>, ApiError> {
    require(&p, Permission::Admin)?;
    let saved = st.engine.channels().set_rules(rules).await?;
    audit(&st, &p, client, serde_json::json!({"rules": saved.len()}));
    Ok(Data(saved))
}

/// Hand every raised alert to the channels' outbox as the events socket's `alert` message, until
/// shutdown. Runs with the server.
/// Subscribed when called (not when first polled): alerts raised from then on are fed.
pub(crate) fn feed(
    engine: Engine,
    shutdown: ShutdownWaiter,
) -> impl std::future::Future<Output = ()> + Send {
    let rx = engine.events().subscribe();
    feed_from(engine, rx, shutdown)
}

async fn feed_from(
    engine: Engine,
    mut rx: tokio::sync::broadcast::Receiver<std::sync::Arc<vigil_engine::Event>>,
    shutdown: ShutdownWaiter,
) {
    let stop = shutdown.wait();
    tokio::pin!(stop);
    loop {
        let ev = tokio::select! {
            _ = &mut stop => return,
            r = rx.recv() => match r {
                Ok(ev) => ev,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "the alert channel feed fell behind the event bus");
                    continue;
                }
                Err(_) => return,
            },
        };
        let EventBody::Alert { alert, camera_name } = &ev.body else {
            continue;
        };
        let meta = AlertMeta {
            alert_id: alert.id,
            kind: alert.kind.as_str().into(),
            severity: alert.severity,
            camera_id: alert.camera_id,
            label: alert.details["label"].as_str().map(String::from),
            at_ms: ev.at_ms,
            camera_name: camera_name.clone(),
            message: alert.message.clone(),
        };
        let payload = serde_json::to_value(WireEvent::from(&*ev)).unwrap_or_default();
        if let Err(e) = engine.channels().offer(meta, &payload).await {
            tracing::warn!(error = %e, alert_id = alert.id, "alert not queued for its channels");
        }
    }
}
