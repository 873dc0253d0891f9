//! `/api/v1/notifications/mqtt` (admin): the MQTT / Home Assistant bridge's settings and status,
//! and "send test". Settings set in `config.toml` are shown and not changed here
//! (`SETTINGS_IN_CONFIG_FILE`); the broker's password is write-only (`password_set` tells).

use axum::Extension;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::mqtt::{MqttTestResult, MqttUpdate, MqttView};
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, update))
        .routes(routes!(test))
}

/// The bridge's settings (where they come from), whether a password is stored, and its
/// connection: off, connecting, connected (since), failing (why); messages queued and dropped.
#[utoipa::path(get, path = "/notifications/mqtt", tag = "notifications",
    responses((status = 200, body = Envelope<MqttView>)), security(("bearer" = ["admin"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<MqttView>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.mqtt().get()))
}

/// Save the bridge's settings and restart it with them (`enabled: false` turns it off).
/// `password`: absent keeps the stored one, empty removes it.
#[utoipa::path(put, path = "/notifications/mqtt", tag = "notifications",
    request_body = MqttUpdate,
    responses((status = 200, body = Envelope<MqttView>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody),
        (status = 409, description = "SETTINGS_IN_CONFIG_FILE: `[mqtt]` is in config.toml", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn update(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(input): Body<MqttUpdate>,
) -> Result<Data<MqttView>, ApiError> {
    require(&p, Permission::Admin)?;
    let password_changed = input.password.is_some();
    let view = st.engine.mqtt().set(input).await?;
    let s = view.settings.as_ref();
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::SettingsChange)
            .target("mqtt")
            .client(client)
            .details(serde_json::json!({
                "enabled": s.map(|s| s.enabled),
                "url": s.map(|s| s.url.as_str()),
                "topic_prefix": s.map(|s| s.topic_prefix.as_str()),
                "password_changed": password_changed,
            })),
    );
    Ok(Data(view))
}

/// Connect with these settings (saved or not; without `password`, the stored one), publish a
/// test message on `<topic_prefix>/test` and wait for the broker to acknowledge it. The answer
/// says whether it did, and if not why (unreachable, refused the password, no answer in 10 s).
#[utoipa::path(post, path = "/notifications/mqtt/test", tag = "notifications",
    request_body = MqttUpdate,
    responses((status = 200, body = Envelope<MqttTestResult>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn test(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(input): Body<MqttUpdate>,
) -> Result<Data<MqttTestResult>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.mqtt().test(input).await?))
}
