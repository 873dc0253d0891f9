//! `/api/v1/cameras/{id}/ptz`: steering a PTZ camera (`camera:ptz`) — its presets, continuous
//! moves and stops, going to and saving presets — each command but `stop` in the audit log.

use axum::Extension;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::ptz::{PtzCommand, PtzDone, PtzInfo};
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(info, command))
}

/// What the camera offers to steer: its presets. `PTZ_UNSUPPORTED` (409) for a camera that is
/// not ONVIF or has no PTZ service — the UI shows no PTZ pad for it.
#[utoipa::path(get, path = "/cameras/{id}/ptz", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<PtzInfo>),
        (status = 404, body = ErrorBody), (status = 409, description = "PTZ_UNSUPPORTED", body = ErrorBody)),
    security(("bearer" = ["camera:ptz"])))]
pub async fn info(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<PtzInfo>, ApiError> {
    require(&p, Permission::CameraPtz)?;
    Ok(Data(st.engine.ptz_info(id).await?))
}

/// Steer the camera: `{action: "move", pan, tilt, zoom}` (speeds −1…1, until `stop`),
/// `{action: "stop"}`, `{action: "goto_preset", preset}`, `{action: "set_preset", name}` (answers
/// the new preset's token).
#[utoipa::path(post, path = "/cameras/{id}/ptz", tag = "cameras", params(("id" = i64, Path)),
    request_body = PtzCommand,
    responses((status = 200, body = Envelope<PtzDone>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "PTZ_UNSUPPORTED", body = ErrorBody)),
    security(("bearer" = ["camera:ptz"])))]
pub async fn command(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(cmd): Body<PtzCommand>,
) -> Result<Data<PtzDone>, ApiError> {
    require(&p, Permission::CameraPtz)?;
    let details = match &cmd {
        PtzCommand::Move { pan, tilt, zoom } => {
            Some(serde_json::json!({"move": {"pan": pan, "tilt": tilt, "zoom": zoom}}))
        }
        PtzCommand::Stop => None,
        PtzCommand::GotoPreset { preset } => Some(serde_json::json!({"goto_preset": preset})),
        PtzCommand::SetPreset { name } => Some(serde_json::json!({"set_preset": name})),
    };
    let done = st.engine.ptz(id, cmd).await?;
    if let Some(d) = details {
        st.engine.audit().record(
            AuditEntry::by(&p, AuditAction::Ptz)
                .camera(id)
                .client(client)
                .details(d),
        );
    }
    Ok(Data(done))
}
